"""Joining by invitation: the only way in, in under a minute, with kind answers when it fails."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.groups.models import GroupMember
from peer_groups.invitations import services
from peer_groups.invitations.models import Invitation, PendingJoin
from peer_groups.notifications.models import OutboxMessage
from peer_groups.privacy.services import purge
from tests.conftest import post, sign_in


@pytest.fixture
def invite(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    group = make.group(area, facilitators=[worker], name="Iltaryhmä")
    return area, worker, group


def members(app, group):
    with app.app_context():
        return set(db.session.scalars(select(GroupMember.user_id)
                                      .where(GroupMember.group_id == group.id)))


def test_worker_makes_an_invitation_with_a_link_and_qr_code(app, client, invite):
    _, worker, group = invite
    sign_in(client, worker)
    post(client, f"/groups/{group.id}/invitations", {"max_uses": "10", "days_valid": "7"})
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
    page = client.get(f"/groups/{group.id}/invitations").get_data(as_text=True)
    assert f"http://localhost/join/{invitation.token}" in page
    svg = client.get(f"/invitations/{invitation.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    bad = post(client, f"/groups/{group.id}/invitations", {"max_uses": "0", "days_valid": "999"})
    assert "from 1 to 100" in bad.get_data(as_text=True)


def join_form(**fields):
    """What a young person types on the join form, with fields as given."""
    return {"display_name": "Aino", "birth_year": str(datetime.now(UTC).year - 18),
            "language": "en", "contact": "", "method": "link", "password": "", **fields}


def messages_to(app, recipient):
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == recipient).order_by(OutboxMessage.id)).all()


FINISH = re.compile(r"http://localhost(/join/finish/[A-Za-z0-9_-]+)")


def test_a_new_young_person_finishes_joining_from_the_link_sent_to_them(app, make, invite):
    _, _, group = invite
    invitation = make.invitation(group)
    phone = app.test_client()
    page = phone.get(f"/join/{invitation.token}").get_data(as_text=True)
    assert "Join Iltaryhmä" in page
    response = post(phone, f"/join/{invitation.token}",
                    join_form(contact=" Aino@Example.com ", language="sv"))
    assert response.status_code == 200
    assert "Kolla dina meddelanden" in response.get_data(as_text=True)  # in the chosen language
    with app.app_context():  # nothing is made before the address is shown to be theirs
        assert db.session.scalar(select(func.count(User.id)).where(User.role == Role.YOUTH)) == 0
        assert db.session.get(Invitation, invitation.id).uses == 0
    [message] = messages_to(app, "aino@example.com")
    assert message.template == "join_finish"
    path = FINISH.search(message.body).group(1)
    # Opening the link (what a mail scanner does) changes nothing; the button finishes.
    assert "Gå med i gruppen" in app.test_client().get(path).get_data(as_text=True)
    response = post(phone, path)
    assert response.headers["Location"] == "/home"
    with app.app_context():
        aino = db.session.scalars(select(User).where(User.email == "aino@example.com")).one()
        assert (aino.role, aino.language, aino.password_hash) == (Role.YOUTH, "sv", None)
        assert aino.birth_year == datetime.now(UTC).year - 18
        assert db.session.get(Invitation, invitation.id).uses == 1
    assert members(app, group) == {aino.id}
    assert phone.get("/home").status_code == 200  # signed in
    # The finishing link works once; a single-use invitation is now used up, kindly.
    assert post(app.test_client(), path).status_code == 410
    used = app.test_client().get(f"/join/{invitation.token}")
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)


def test_a_phone_number_gets_the_finishing_link_by_sms(app, make, invite):
    _, _, group = invite
    invitation = make.invitation(group)
    client = app.test_client()
    post(client, f"/join/{invitation.token}",
         join_form(contact="040 765 4321", method="password", password="pitkä salasana tähän"))
    [message] = messages_to(app, "+358407654321")
    assert (message.template, message.channel.value) == ("join_finish", "sms")
    post(client, FINISH.search(message.body).group(1))
    post(client, "/auth/sign-out")
    sign_in(client, User(email="040 765 4321"), password="pitkä salasana tähän")


def test_without_email_or_phone_the_username_is_made_for_the_person(app, make, invite):
    """A username nobody chose can't tell anyone which usernames exist."""
    area, _, group = invite
    make.user(Role.YOUTH, area=area, username="onni")
    invitation = make.invitation(group, max_uses=5)
    client = app.test_client()
    form = join_form(display_name="Onni", method="password", password="password1")
    page = post(client, f"/join/{invitation.token}", form).get_data(as_text=True)
    assert "easy to guess" in page
    assert 'value="Onni"' in page  # nothing typed is lost
    assert 'name="username"' not in page
    form.update(password="pitkä salasana tähän", username="onni")  # a chosen one is ignored
    response = post(client, f"/join/{invitation.token}", form)
    assert response.headers["Location"] == "/home"
    with app.app_context():
        onni = db.session.scalars(select(User).where(User.display_name == "Onni")).one()
    assert re.fullmatch(r"onni\.[0-9]{4}", onni.username)
    assert onni.username in client.get("/home").get_data(as_text=True)  # told to write it down
    post(client, "/auth/sign-out")
    sign_in(client, User(username=onni.username), password="pitkä salasana tähän")


def test_a_link_account_needs_somewhere_to_send_the_link(app, make, invite):
    _, _, group = invite
    invitation = make.invitation(group)
    page = post(app.test_client(), f"/join/{invitation.token}",
                join_form(display_name="Veeti")).get_data(as_text=True)
    assert "write your email or phone number" in page
    bad = post(app.test_client(), f"/join/{invitation.token}",
               join_form(contact="not an address")).get_data(as_text=True)
    assert "like name@example.fi, or a phone number" in bad
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.role == Role.YOUTH)) == 0
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_form_asks_the_birth_year_and_says_why(app, make, invite):
    area, _, group = invite
    invitation = make.invitation(group)
    this_year = datetime.now(UTC).year
    page = app.test_client().get(f"/join/{invitation.token}").get_data(as_text=True)
    assert "Birth year" in page and "We ask only the year" in page and "23" in page
    missing = post(app.test_client(), f"/join/{invitation.token}",
                   join_form(contact="a@example.com", birth_year="")).get_data(as_text=True)
    assert "Write the year you were born, like" in missing
    for year in (this_year - 15, this_year - 24, 1900, "20o5"):
        page = post(app.test_client(), f"/join/{invitation.token}",
                    join_form(contact="a@example.com", birth_year=str(year)))
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert f"from {this_year - 23} to {this_year - 16}" in text, year
    finnish = app.test_client()
    finnish.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fi"
    text = post(finnish, f"/join/{invitation.token}",
                join_form(contact="a@example.com", birth_year="1900")).get_data(as_text=True)
    assert f"vuosi {this_year - 23}" in text
    assert messages_to(app, "a@example.com") == []
    with app.app_context():  # an area that keeps aftercare until 25 takes two more years
        db.session.get(type(area), area.id).youth_upper_age = 25
        db.session.commit()
    post(app.test_client(), f"/join/{invitation.token}",
         join_form(contact="a@example.com", birth_year=str(this_year - 25)))
    assert [m.template for m in messages_to(app, "a@example.com")] == ["join_finish"]


def test_expired_revoked_and_tampered_links_get_a_kind_page(app, make, invite):
    _, _, group = invite
    expired = make.invitation(group, days=-1)
    revoked = make.invitation(group, revoked_at=datetime.now(UTC))
    client = app.test_client()
    for token, words in [(expired.token, "no longer valid"), (revoked.token, "turned off"),
                         (expired.token + "x", "could not find")]:
        response = client.get(f"/join/{token}")
        assert response.status_code == 410 and words in response.get_data(as_text=True)


def test_an_existing_member_of_another_group_simply_joins(app, make, invite):
    area, _, group = invite
    youth = make.user(Role.YOUTH, area=area)
    invitation = make.invitation(group, max_uses=5)
    client = app.test_client()
    sign_in(client, youth)
    assert "Join the group" in client.get(f"/join/{invitation.token}").get_data(as_text=True)
    response = post(client, f"/join/{invitation.token}")
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert members(app, group) == {youth.id}
    post(client, f"/join/{invitation.token}")  # again: nothing doubles, no use counted
    with app.app_context():
        assert db.session.get(Invitation, invitation.id).uses == 1


ANSWER_VARIES = re.compile(r'name="csrf_token" value="[^"]+"')


def test_the_answer_never_tells_who_already_has_an_account(app, make, invite, monkeypatch):
    """Existing email, phone or username, here or in another area, staff or young: one answer.

    The existing contact is told instead; a fresh one gets the link to finish.
    """
    area, worker, group = invite
    here = make.user(Role.YOUTH, area=area, email="here@example.com", phone="+358401110001",
                     username="here_one", language="fi")
    elsewhere = make.user(Role.YOUTH, email="elsewhere@example.com", phone="+358401110002",
                          username="elsewhere_one")
    invitation = make.invitation(group, max_uses=20)
    hashed = []
    real_hash = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda p: hashed.append(p) or real_hash(p))

    def answer(contact, **fields):
        response = post(app.test_client(), f"/join/{invitation.token}",
                        join_form(contact=contact, **fields))
        return (response.status_code, response.headers.get("Location"),
                ANSWER_VARIES.sub("", response.get_data(as_text=True)))

    contacts = {"here@example.com": here, "ELSEWHERE@example.com": elsewhere,
                "040 111 0001": here, "+358 40 111 0002": elsewhere, worker.email: worker,
                "fresh@example.com": None, "040 999 0000": None}
    answers = {contact: answer(contact) for contact in contacts}
    answers["username"] = answer("fresh2@example.com", username="here_one")
    answers["password"] = answer("here@example.com", method="password",
                                 password="a fine long phrase")
    answers["fresh password"] = answer("fresh3@example.com", method="password",
                                       password="a fine long phrase")
    assert len(set(answers.values())) == 1, answers.keys()
    status, location, body = answers["fresh@example.com"]
    assert (status, location) == (200, None) and "Check your messages" in body
    assert len(hashed) == 2  # the same work whether the address was taken or not

    for contact, owner in contacts.items():
        recipient = owner and (owner.email if "@" in contact else owner.phone)
        sent = messages_to(app, recipient or services.normalise_contact(contact))
        assert [m.template for m in sent][-1:] == ["join_attempt" if owner else "join_finish"]
        if owner:
            assert sent[-1].user_id == owner.id
            assert "Someone tried to join" in sent[-1].body or "Joku yritti" in sent[-1].body
            assert "/join/finish/" not in sent[-1].body
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 3  # nobody new yet
    # A young person told of the attempt gets a sign-in link; staff the sign-in page.
    assert "/auth/link/" in messages_to(app, here.email)[0].body
    assert "/auth/link/" not in messages_to(app, worker.email)[0].body


def test_the_existing_contact_is_told_once_an_hour_at_most(app, make, invite):
    area, _, group = invite
    make.user(Role.YOUTH, area=area, email="here@example.com")
    invitation = make.invitation(group, max_uses=20)
    for _ in range(3):
        post(app.test_client(), f"/join/{invitation.token}", join_form(contact="here@example.com"))
    assert len(messages_to(app, "here@example.com")) == 1


def test_staff_and_other_areas_cannot_use_it(app, make, invite):
    _, worker, group = invite
    invitation = make.invitation(group, max_uses=5)
    stranger = make.user(Role.YOUTH)  # another area
    for person in (worker, stranger):
        client = app.test_client()
        sign_in(client, person)
        assert post(client, f"/join/{invitation.token}").status_code == 403
    assert members(app, group) == set()


def test_an_unfinished_join_expires_and_the_purge_removes_what_it_held(app, make, invite):
    _, _, group = invite
    invitation = make.invitation(group)
    post(app.test_client(), f"/join/{invitation.token}", join_form(contact="late@example.com"))
    path = FINISH.search(messages_to(app, "late@example.com")[0].body).group(1)
    later = datetime.now(UTC) + app.config["JOIN_LINK_LIFETIME"] + timedelta(minutes=1)
    with app.app_context():
        assert purge(datetime.now(UTC), retention_months=24, dietary_idle_days=180,
                     grace_days=90, dry_run=True).unfinished_joins == 0
        db.session.execute(update(PendingJoin).values(
            expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        db.session.commit()
    expired = app.test_client().get(path)
    assert expired.status_code == 410 and "no longer works" in expired.get_data(as_text=True)
    with app.app_context():
        report = purge(later, retention_months=24, dietary_idle_days=180, grace_days=90,
                       dry_run=False)
        db.session.commit()
        assert report.unfinished_joins == 1
        assert db.session.scalars(select(PendingJoin)).all() == []
