"""Sign-ups and the waiting list: never over capacity, first come first served."""

from datetime import timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select

from peer_groups.db import db
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups import services as group_services
from peer_groups.meetings.models import Meeting
from peer_groups.notifications.models import OutboxMessage
from peer_groups.signups import services
from peer_groups.signups.models import Signup
from tests import factories


@pytest.fixture
def meeting_world(ctx):
    area = factories.make_area()
    worker = factories.make_user(Role.WORKER, area=area)
    youth = [factories.make_user(Role.YOUTH, area=area) for _ in range(6)]
    group = factories.make_group(area, facilitators=[worker], members=youth)
    meeting = factories.make_meeting(group, capacity=2,
                                     starts_at=factories.next_week_afternoon())
    db.session.commit()
    return worker, youth, meeting


def statuses(meeting):
    rows = db.session.execute(select(Signup.user_id, Signup.status)
                              .where(Signup.meeting_id == meeting.id)).all()
    return dict(rows)


def test_places_then_the_waiting_list_in_order(meeting_world):
    _, youth, meeting = meeting_world
    results = [services.sign_up(meeting.id, person).status for person in youth[:4]]
    assert results == [SignupStatus.CONFIRMED] * 2 + [SignupStatus.WAITLISTED] * 2
    assert services.waitlist_positions(meeting.id) == {youth[2].id: 1, youth[3].id: 2}
    assert db.session.get(Meeting, meeting.id).taken == 2


def test_cancelling_promotes_the_first_in_line_and_tells_them(meeting_world):
    _, youth, meeting = meeting_world
    for person in youth[:4]:
        services.sign_up(meeting.id, person)
    services.cancel_signup(meeting.id, youth[0])
    now = statuses(meeting)
    assert now[youth[0].id] is SignupStatus.CANCELLED
    assert now[youth[2].id] is SignupStatus.CONFIRMED
    assert now[youth[3].id] is SignupStatus.WAITLISTED
    assert services.waitlist_positions(meeting.id) == {youth[3].id: 1}
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.user_id == youth[2].id and message.template == "promoted"


def test_twice_is_refused_and_changes_nothing(meeting_world):
    _, youth, meeting = meeting_world
    services.sign_up(meeting.id, youth[0])
    with pytest.raises(DomainError) as refused:
        services.sign_up(meeting.id, youth[0])
    assert refused.value.code == "already_signed_up"
    services.cancel_signup(meeting.id, youth[0])
    with pytest.raises(DomainError) as refused:
        services.cancel_signup(meeting.id, youth[0])
    assert refused.value.code == "not_signed_up"
    assert db.session.get(Meeting, meeting.id).taken == 0
    services.sign_up(meeting.id, youth[0])  # signing up again after cancelling works
    assert statuses(meeting)[youth[0].id] is SignupStatus.CONFIRMED


def test_cancelled_past_and_closed_meetings_refuse_sign_ups(meeting_world):
    worker, youth, meeting = meeting_world
    with pytest.raises(DomainError) as refused:
        services.sign_up(meeting.id, youth[0], now=meeting.starts_at)
    assert refused.value.code == "meeting_past"
    db.session.get(Meeting, meeting.id).signup_deadline = meeting.starts_at - timedelta(days=2)
    with pytest.raises(DomainError) as refused:
        services.sign_up(meeting.id, youth[0], now=meeting.starts_at - timedelta(days=1))
    assert refused.value.code == "deadline_passed"
    # Staff may still add a person after the deadline.
    services.sign_up(meeting.id, youth[0], by=worker, reason="phone",
                     now=meeting.starts_at - timedelta(days=1))
    group_services.cancel_meeting(db.session.get(Meeting, meeting.id), worker, "Sairastuminen")
    with pytest.raises(DomainError) as refused:
        services.sign_up(meeting.id, youth[1])
    assert refused.value.code == "meeting_cancelled"
    told = db.session.scalars(select(OutboxMessage.template)).all()
    assert told == ["meeting_cancelled"]


def test_raising_capacity_promotes_and_lowering_below_confirmed_is_refused(meeting_world):
    worker, youth, meeting = meeting_world
    for person in youth[:5]:
        services.sign_up(meeting.id, person)
    fresh = db.session.get(Meeting, meeting.id)
    local = fresh.starts_at.astimezone(HELSINKI)
    common = {"day": local.date(), "starts": local.time(), "ends": (local + timedelta(hours=2))
              .time(), "venue_name": "", "venue_address": "", "venue_accessibility": "",
              "is_outing": False}
    with pytest.raises(DomainError):
        group_services.update_meeting(fresh, worker, capacity=1, **common)
    group_services.update_meeting(fresh, worker, capacity=4, **common)
    assert sorted(statuses(meeting).values()).count(SignupStatus.CONFIRMED) == 4
    assert services.waitlist_positions(meeting.id) == {youth[4].id: 1}
    assert db.session.get(Meeting, meeting.id).taken == 4


def test_the_database_refuses_overbooking_even_if_code_forgets(meeting_world):
    _, _, meeting = meeting_world
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(taken=3))
        db.session.flush()
    db.session.rollback()


class SignupMachine(RuleBasedStateMachine):
    """Random sign-ups, cancellations and capacity changes; the rules must always hold."""

    def __init__(self):
        super().__init__()
        self.app = SignupMachine.app
        self.context = self.app.app_context()
        self.context.push()
        area = factories.make_area()
        self.worker = factories.make_user(Role.WORKER, area=area, password=None)
        self.people = [factories.make_user(Role.YOUTH, area=area, password=None)
                       for _ in range(7)]
        group = factories.make_group(area, facilitators=[self.worker], members=self.people)
        self.meeting_id = factories.make_meeting(
            group, capacity=3,  # afternoon: a capacity change must not fail on its end time
            starts_at=factories.next_week_afternoon() + timedelta(days=23)).id
        db.session.commit()
        self.arrivals = []  # user ids in the order they asked

    def teardown(self):
        db.session.rollback()
        db.session.remove()
        self.context.pop()

    @rule(index=st.integers(min_value=0, max_value=6))
    def sign_up(self, index):
        person = self.people[index]
        try:
            services.sign_up(self.meeting_id, person)
            db.session.commit()
            self.arrivals = [i for i in self.arrivals if i != person.id] + [person.id]
        except DomainError:
            db.session.rollback()

    @rule(index=st.integers(min_value=0, max_value=6))
    def cancel(self, index):
        try:
            services.cancel_signup(self.meeting_id, self.people[index])
            db.session.commit()
        except DomainError:
            db.session.rollback()

    @precondition(lambda self: True)
    @rule(capacity=st.integers(min_value=1, max_value=6))
    def change_capacity(self, capacity):
        meeting = db.session.get(Meeting, self.meeting_id)
        local = meeting.starts_at.astimezone(HELSINKI)
        try:
            group_services.update_meeting(
                meeting, self.worker, capacity=capacity, day=local.date(), starts=local.time(),
                ends=(local + timedelta(hours=2)).time(), venue_name="", venue_address="",
                venue_accessibility="", is_outing=False)
            db.session.commit()
        except DomainError:
            db.session.rollback()

    @invariant()
    def rules_hold(self):
        meeting = db.session.get(Meeting, self.meeting_id)
        db.session.refresh(meeting)
        rows = db.session.execute(select(Signup.user_id, Signup.status, Signup.requested_at,
                                         Signup.id).where(Signup.meeting_id == meeting.id)
                                  ).all()
        confirmed = [r for r in rows if r.status is SignupStatus.CONFIRMED]
        waiting = sorted((r for r in rows if r.status is SignupStatus.WAITLISTED),
                         key=lambda r: (r.requested_at, r.id))
        assert len(confirmed) == meeting.taken <= meeting.capacity
        assert not (waiting and meeting.taken < meeting.capacity), "someone waits at a free seat"
        assert len({r.user_id for r in rows}) == len(rows)
        # The queue keeps arrival order.
        order = [u for u in self.arrivals if u in {r.user_id for r in waiting}]
        assert [r.user_id for r in waiting] == order
        count = db.session.scalar(select(func.count(Signup.id)).where(
            Signup.meeting_id == meeting.id, Signup.status == SignupStatus.CONFIRMED))
        assert count == len(confirmed)


def test_random_sign_ups_cancellations_and_capacity_changes(app):
    SignupMachine.app = app
    runner = SignupMachine.TestCase
    runner.settings = settings(max_examples=25, stateful_step_count=25, deadline=None)
    runner().runTest()
