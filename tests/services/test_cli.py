"""The command-line tools an operator runs."""

import pyotp
from sqlalchemy import func, select

from peer_groups import create_app
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.demo.seed import DEMO_TOTP_SECRET
from peer_groups.domain.roles import Role
from peer_groups.feedback.models import FeedbackAnswer
from peer_groups.groups.models import Group
from peer_groups.meetings.models import Meeting
from peer_groups.notifications.models import MessageStatus, OutboxMessage
from tests import factories


def test_create_admin_makes_an_area_admin_with_a_good_password(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["create-admin", "--email", "a@example.com", "--name", "Anna",
                               "--area", "Päijät-Häme", "--password", "password1"])
    assert weak.exit_code != 0 and "too_common" in weak.output
    result = runner.invoke(args=["create-admin", "--email", "a@example.com", "--name", "Anna",
                                 "--area", "Päijät-Häme", "--password", "long enough phrase"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        admin = db.session.scalars(select(User)).one()
        assert admin.role is Role.ADMIN and admin.area.name == "Päijät-Häme"
        assert admin.password_hash.startswith("$argon2id$")


def test_seed_demo_fills_an_empty_database_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        youth = db.session.scalar(select(func.count()).where(User.role == Role.YOUTH))
        assert youth >= 40
        assert {g.language for g in db.session.scalars(select(Group))} == {"fi", "sv"}
        assert db.session.scalar(select(func.count(Meeting.id))) >= 4 * 11
        roles = set(db.session.scalars(select(User.role)))
        assert roles == set(Role)
        staff_keys = set(db.session.scalars(select(User.totp_secret).where(
            User.role != Role.YOUTH)))
        assert staff_keys == {DEMO_TOTP_SECRET}  # every demo staff member has an authenticator
        answers = sorted(db.session.execute(  # feedback: one meeting shown, one "< 5"
            select(func.count()).select_from(FeedbackAnswer)
            .group_by(FeedbackAnswer.meeting_id)).scalars())
        assert answers[0] < 5 <= answers[-1]
    code = runner.invoke(args=["demo-code"]).output.strip()
    assert pyotp.TOTP(DEMO_TOTP_SECRET).verify(code, valid_window=1)
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output
    assert runner.invoke(args=["seed-demo"]).exit_code != 0


def test_seed_demo_refuses_production(database_url, tmp_path):
    from tests.conftest import base_config
    from tests.web.test_security import PRODUCTION

    app = create_app({**base_config(database_url, tmp_path), **PRODUCTION})
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output
    result = app.test_cli_runner().invoke(args=["demo-code"])
    assert result.exit_code != 0 and "production" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
        db.session.remove()
        db.engine.dispose()


def test_outbox_send_command(app):
    with app.app_context():
        from peer_groups.notifications.services import queue_message

        queue_message(factories.make_user(Role.YOUTH), "sign_in_link", link="x", minutes=30)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "sent 1" in result.output
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) is MessageStatus.SENT
