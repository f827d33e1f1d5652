"""Groups, their schedule and single meetings, through the services."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI, LAST, MonthlyRule, RuleKind
from peer_groups.groups import services
from peer_groups.groups.models import GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus
from tests import factories

RULE = MonthlyRule(RuleKind.WEEKDAY, time(17), 120, week=2, weekday=1, skip_months=frozenset({7}))


@pytest.fixture
def setup(ctx):
    area = factories.make_area()
    worker = factories.make_user(Role.WORKER, area=area)
    group = factories.make_group(area, facilitators=[worker], default_capacity=9)
    return area, worker, group


def meeting_count(group):
    return db.session.scalar(select(func.count(Meeting.id)).where(Meeting.group_id == group.id))


def test_a_year_of_meetings_and_extending_never_doubles(setup):
    _, worker, group = setup
    services.set_rule(group, RULE, worker)
    made = services.generate_meetings(group, worker, date(2027, 1, 1))
    assert len(made) == 11  # July is skipped
    assert all(m.capacity == 9 for m in made)
    assert made[0].starts_at == datetime(2027, 1, 12, 15, 0, tzinfo=UTC)
    with pytest.raises(DomainError) as refused:  # the same day again: nothing to add
        services.generate_meetings(group, worker, date(2027, 1, 1))
    assert refused.value.code == "no_dates"
    # Half a year later the schedule extends to the next six months, without doubles.
    more = services.generate_meetings(group, worker, date(2027, 7, 1))
    assert [m.starts_at.astimezone(HELSINKI).date() for m in more] == [
        date(2028, 1, 11), date(2028, 2, 8), date(2028, 3, 14), date(2028, 4, 11),
        date(2028, 5, 9), date(2028, 6, 13)]
    local_days = [m.starts_at.astimezone(HELSINKI).date()
                  for m in db.session.scalars(select(Meeting).where(Meeting.group_id == group.id))]
    assert len(local_days) == len(set(local_days)) == 17


def test_a_moved_or_cancelled_meeting_is_not_made_again_but_a_one_off_does_not_block(setup):
    _, worker, group = setup
    services.set_rule(group, RULE, worker)
    january, february = services.generate_meetings(group, worker, date(2027, 1, 1))[:2]
    services.cancel_meeting(january, worker, "Sairastuminen")
    db.session.delete(february)  # even a deleted one leaves a gap that extension refills
    services.add_meeting(group, worker, day=date(2028, 1, 20), starts=time(12), ends=time(15),
                         capacity=5, now=datetime(2026, 12, 1, tzinfo=UTC))
    db.session.flush()
    added = services.generate_meetings(group, worker, date(2027, 1, 1), months=13)
    added_days = [m.starts_at.astimezone(HELSINKI).date() for m in added]
    assert date(2027, 1, 12) not in added_days  # the cancelled January stays cancelled
    assert date(2027, 2, 9) in added_days and date(2028, 1, 11) in added_days


def test_generating_without_a_rule_or_dates_is_refused(setup):
    _, worker, group = setup
    with pytest.raises(DomainError) as refused:
        services.generate_meetings(group, worker, date(2027, 1, 1))
    assert refused.value.code == "no_rule"
    with pytest.raises(DomainError) as refused:
        services.set_rule(group, MonthlyRule(RuleKind.DAY, time(17), 120, day=3,
                                             skip_months=frozenset(range(1, 13))), worker)
    assert refused.value.code == "all_months_skipped"
    assert meeting_count(group) == 0


def test_editing_one_meeting_leaves_the_others_and_raises_the_sequence(setup):
    _, worker, group = setup
    services.set_rule(group, RULE, worker)
    first, second = services.generate_meetings(group, worker, date(2027, 1, 1))[:2]
    moved = services.update_meeting(first, worker, day=date(2027, 1, 13), starts=time(18),
                                    ends=time(20), capacity=12, venue_name="Kirjasto",
                                    venue_address="", venue_accessibility="", is_outing=False,
                                    now=datetime(2026, 12, 1, tzinfo=UTC))
    assert moved and first.sequence == 1
    assert first.starts_at == datetime(2027, 1, 13, 16, 0, tzinfo=UTC)
    assert second.sequence == 0 and second.capacity == 9
    assert services.rule_of(group) == RULE


def test_capacity_cannot_go_below_those_with_a_place(setup):
    _, worker, group = setup
    meeting = factories.make_meeting(group, capacity=6,
                                     starts_at=factories.next_week_afternoon())
    meeting.taken = 5
    db.session.flush()
    local = meeting.starts_at.astimezone(HELSINKI)
    with pytest.raises(DomainError) as refused:
        services.update_meeting(meeting, worker, day=local.date(), starts=local.time(),
                                ends=(local + timedelta(hours=2)).time(), capacity=4)
    assert refused.value.code == "capacity_below_confirmed"
    assert refused.value.details == {"confirmed": 5}


def test_cancelling_keeps_the_meeting_with_its_reason(setup):
    _, worker, group = setup
    meeting = factories.make_meeting(group)
    services.cancel_meeting(meeting, worker, "  Ohjaaja on sairaana.  ")
    assert meeting.status is MeetingStatus.CANCELLED
    assert meeting.cancel_reason == "Ohjaaja on sairaana."
    assert meeting.sequence == 1
    with pytest.raises(DomainError):
        services.cancel_meeting(meeting, worker, "again")


def test_a_meeting_by_hand_cannot_be_in_the_past_or_on_a_meeting_day(setup):
    _, worker, group = setup
    now = datetime(2027, 5, 1, tzinfo=UTC)
    with pytest.raises(DomainError) as refused:
        services.add_meeting(group, worker, day=date(2027, 4, 1), starts=time(17),
                             ends=time(19), now=now, capacity=5)
    assert refused.value.code == "in_the_past"
    services.add_meeting(group, worker, day=date(2027, 6, 5), starts=time(10), ends=time(16),
                         now=now, capacity=5, is_outing=True)
    with pytest.raises(DomainError) as refused:
        services.add_meeting(group, worker, day=date(2027, 6, 5), starts=time(18),
                             ends=time(19), now=now, capacity=5)
    assert refused.value.code == "same_day"
    with pytest.raises(DomainError) as refused:
        services.meeting_times(date(2027, 6, 6), time(19), time(18))
    assert refused.value.code == "ends_before_start"


def test_people_are_set_exactly_and_only_from_the_area(setup):
    area, worker, group = setup
    expert = factories.make_user(Role.EXPERT, area=area)
    youth = [factories.make_user(Role.YOUTH, area=area) for _ in range(3)]
    stranger = factories.make_user(Role.YOUTH)  # another area
    services.save_group(group, area.id, worker, facilitator_ids=[worker.id, expert.id],
                        member_ids=[y.id for y in youth] + [stranger.id], name="Uusi nimi")
    members = set(db.session.scalars(select(GroupMember.user_id)
                                     .where(GroupMember.group_id == group.id)))
    assert members == {y.id for y in youth}
    services.save_group(group, area.id, worker, facilitator_ids=[worker.id],
                        member_ids=[youth[0].id])
    assert set(db.session.scalars(select(GroupFacilitator.user_id))) == {worker.id}
    assert set(db.session.scalars(select(GroupMember.user_id))) == {youth[0].id}
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("group.member_added") == 3
    assert actions.count("group.member_removed") == 2
    assert group.name == "Uusi nimi"


def test_last_weekday_rule_round_trips_through_the_group(setup):
    _, worker, group = setup
    rule = MonthlyRule(RuleKind.WEEKDAY, time(16, 30), 90, week=LAST, weekday=4,
                       skip_months=frozenset({6, 7}))
    services.set_rule(group, rule, worker)
    assert services.rule_of(group) == rule
