"""`flask seed-bench`: the benchmark dataset keeps the rules the app keeps."""

from collections import Counter

from sqlalchemy import func, select

from peer_groups import create_app
from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.consent.services import consenting
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import Group, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus
from peer_groups.signups.models import Signup
from tests.conftest import base_config
from tests.web.test_security import PRODUCTION


def seed(app, *args):
    result = app.test_cli_runner().invoke(args=["seed-bench", "--scale", "0.01", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_small_scale_has_every_kind_of_row(app):
    output = seed(app)
    assert "4 groups" in output and "80 youth" in output and "Bench data loaded in" in output
    with app.app_context():
        roles = Counter(db.session.scalars(select(User.role)))
        assert roles[Role.YOUTH] == 80 and roles[Role.WORKER] == 10
        assert roles[Role.EXPERT] == roles[Role.COORDINATOR] == roles[Role.ADMIN] == 1
        staff = db.session.scalars(select(User).where(User.role != Role.YOUTH)).all()
        assert all(person.totp_secret for person in staff)
        assert db.session.scalar(select(func.count(Meeting.id))) == 4 * 24
        statuses = Counter(db.session.scalars(select(Meeting.status)))
        assert statuses[MeetingStatus.HELD] >= 4 * 12 and statuses[MeetingStatus.PLANNED] >= 4 * 11
        kinds = Counter(db.session.scalars(select(Signup.status)))
        assert all(kinds[status] for status in SignupStatus), kinds
        assert db.session.scalar(select(func.count(Attendance.id))) > 0


def test_no_meeting_is_over_capacity_and_taken_counts_the_confirmed(app):
    seed(app)
    with app.app_context():
        confirmed = dict(db.session.execute(
            select(Signup.meeting_id, func.count(Signup.id))
            .where(Signup.status == SignupStatus.CONFIRMED).group_by(Signup.meeting_id)).all())
        waiting = set(db.session.scalars(
            select(Signup.meeting_id).where(Signup.status == SignupStatus.WAITLISTED)))
        for meeting in db.session.scalars(select(Meeting)):
            assert meeting.taken == confirmed.get(meeting.id, 0) <= meeting.capacity
            if meeting.id in waiting:  # a waiting list only behind a full meeting
                assert meeting.taken == meeting.capacity


def test_sign_ups_and_names_in_the_register_belong_to_the_group(app):
    seed(app)
    with app.app_context():
        member = select(GroupMember).where(GroupMember.group_id == Meeting.group_id,
                                           GroupMember.user_id == Signup.user_id).exists()
        outsiders = select(func.count(Signup.id)).join(Meeting, Meeting.id == Signup.meeting_id)
        assert db.session.scalar(outsiders.where(~member)) == 0
        named = set(db.session.scalars(select(Attendance.user_id)))
        assert named <= set(db.session.scalars(consenting(Purpose.ATTENDANCE)))
        held = select(Meeting.id).where(Meeting.status == MeetingStatus.HELD)
        assert db.session.scalar(select(func.count(Attendance.id))
                                 .where(Attendance.meeting_id.not_in(held))) == 0


def fingerprint():
    """Who signed up for which group's meeting of which day, and how it went."""
    return db.session.execute(
        select(User.username, Group.name, Meeting.starts_at, Signup.status)
        .join(User, User.id == Signup.user_id).join(Meeting, Meeting.id == Signup.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .order_by(User.username, Meeting.starts_at)).all()


def empty_database():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(app):
    runs = []
    for seed_value in ("7", "7", "8"):
        seed(app, "--seed", seed_value)
        with app.app_context():
            runs.append(fingerprint())
            empty_database()
    assert runs[0] and runs[0] == runs[1] and runs[0] != runs[2]


def test_seed_bench_refuses_production_and_a_full_database(app, database_url, tmp_path):
    production = create_app({**base_config(database_url, tmp_path), **PRODUCTION})
    result = production.test_cli_runner().invoke(args=["seed-bench", "--scale", "0.01"])
    assert result.exit_code != 0 and "production" in result.output
    with production.app_context():
        assert db.session.scalar(select(func.count(Group.id))) == 0
        db.session.remove()
        db.engine.dispose()
    seed(app)
    again = app.test_cli_runner().invoke(args=["seed-bench", "--scale", "0.01"])
    assert again.exit_code != 0 and "not empty" in again.output
