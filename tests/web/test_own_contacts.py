"""A young person's own email and phone: confirmed by a code before anything is sent there;
the reminders then go the way they chose, and every page says truthfully how they are told."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from peer_groups.account.models import PendingContact
from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession, User
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.contacts import NotifyBy, mask_email, mask_phone
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import Channel, OutboxMessage
from peer_groups.reminders.services import send_due
from peer_groups.signups import services as signups
from tests.conftest import answer_link_requests, post, sign_in
from tests.factories import PASSWORD
from tests.helpers import assert_redirect

# 30 March 2027 17:00 in Helsinki: the day-before reminder is due on 29 March 09:00 UTC.
START = datetime(2027, 3, 30, 14, 0, tzinfo=UTC)
DAY_BEFORE = datetime(2027, 3, 29, 9, 0, tzinfo=UTC)
CODE = re.compile(r"\b(\d{6})\b")
NUMBER = "+358401234567"
MASKED = mask_phone(NUMBER)  # 040 … 67, read as one word


def messages(app, **where):
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return db.session.scalars(query).all()


def area_of(user):
    """The factories need only the area's id."""
    return SimpleNamespace(id=user.area_id)


def person(app, user_id) -> User:
    with app.app_context():
        return db.session.get(User, user_id)


def code_in_outbox(app, recipient) -> str:
    sent = messages(app, template="contact_code", recipient=recipient)
    assert sent, f"no code went to {recipient}"
    return CODE.search(sent[-1].body).group(1)


def remind(app, now=DAY_BEFORE) -> list[tuple[str, str]]:
    """Run the reminders as cron would; where each reminder went."""
    with app.app_context():
        send_due(now)
        db.session.commit()
    return [(m.channel.value, m.recipient) for m in messages(app, template="reminder")]


@pytest.fixture
def youth(make):
    """A young person with a password and no email or phone, who wants reminders and has a
    place in a meeting."""
    area = make.area()
    aino = make.user(Role.YOUTH, area=area, email=None, display_name="Aino")
    with make.session():
        consent.answer(db.session.get(User, aino.id), Purpose.REMINDERS, True)
    group = make.group(area, members=[aino])
    meeting = make.meeting(group, starts_at=START)
    with make.session():
        signups.sign_up(meeting.id, db.session.get(User, aino.id),
                        now=START - timedelta(days=5))
    return aino


def add_phone(client, typed="040 123 4567"):
    return post(client, "/account/contact/phone", {"phone": typed})


def test_a_phone_number_is_used_only_once_its_code_is_typed(app, client, youth):
    sign_in(client, youth)
    page = client.get("/account/contact").get_data(as_text=True)
    assert "Right now we tell you here in the app." in page

    assert_redirect(add_phone(client), "/account/contact/phone/code")
    code = code_in_outbox(app, NUMBER)
    [sent] = messages(app, template="contact_code")
    assert sent.channel is Channel.SMS and sent.recipient == NUMBER
    # Waiting for its code, the number is not the person's: no reminder goes to it.
    assert person(app, youth.id).phone is None
    assert remind(app) == []
    assert "here in the app" in client.get("/account/contact").get_data(as_text=True)

    page = client.get("/account/contact/phone/code").get_data(as_text=True)
    assert "We sent a code by text message to 040 123 4567" in page
    confirmed = post(client, "/account/contact/phone/code", {"code": code})
    assert_redirect(confirmed, "/account/contact")
    assert person(app, youth.id).phone == NUMBER
    with app.app_context():
        assert db.session.scalars(select(PendingContact)).all() == []
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_user_id == youth.id)).all()
    assert "account.contact_code_sent" in actions and "account.contact_confirmed" in actions
    page = client.get("/account/contact").get_data(as_text=True)
    assert f"Right now we tell you by text message to {MASKED}." in page

    # The next reminder goes by text message to the confirmed number.
    assert remind(app, DAY_BEFORE + timedelta(days=1) - timedelta(hours=3)) == [("sms", NUMBER)]


def test_a_wrong_or_expired_code_is_refused_and_changes_nothing(app, client, youth):
    sign_in(client, youth)
    add_phone(client)
    code = code_in_outbox(app, NUMBER)
    wrong = "000000" if code != "000000" else "111111"
    refused = post(client, "/account/contact/phone/code", {"code": wrong})
    assert refused.status_code == 200
    assert "This code is not right." in refused.get_data(as_text=True)
    assert person(app, youth.id).phone is None
    with app.app_context():
        assert db.session.scalars(select(PendingContact.attempts)).one() == 1  # it counted

    with app.app_context():  # a quarter of an hour later
        db.session.execute(update(PendingContact).values(
            expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
    late = post(client, "/account/contact/phone/code", {"code": code})
    assert late.status_code == 200
    assert "This code is too old. Ask for a new code." in late.get_data(as_text=True)
    assert person(app, youth.id).phone is None
    assert remind(app) == []


def test_after_five_wrong_tries_even_the_right_code_is_refused(app, client, youth):
    sign_in(client, youth)
    add_phone(client)
    code = code_in_outbox(app, NUMBER)
    for _ in range(5):
        post(client, "/account/contact/phone/code", {"code": "12345x"})
    refused = post(client, "/account/contact/phone/code", {"code": code})
    assert "The code was typed wrong 5 times. Ask for a new code." in refused.get_data(
        as_text=True)
    assert person(app, youth.id).phone is None


def test_another_person_cannot_use_someone_elses_code(app, client, make, youth):
    sign_in(client, youth)
    add_phone(client)
    code = code_in_outbox(app, NUMBER)
    other = make.user(Role.YOUTH, area=area_of(youth), email="eero@example.com")
    theirs = app.test_client()
    sign_in(theirs, other)
    # They have no code waiting: the page sends them back to their own details.
    assert_redirect(post(theirs, "/account/contact/phone/code", {"code": code}),
                    "/account/contact")
    # With a code of their own waiting, Aino's code still is not theirs.
    post(theirs, "/account/contact/phone", {"phone": "050 765 4321"})
    refused = post(theirs, "/account/contact/phone/code", {"code": code})
    assert "This code is not right." in refused.get_data(as_text=True)
    assert person(app, other.id).phone is None and person(app, youth.id).phone is None


def test_an_address_in_use_is_refused_without_saying_whose(app, client, make, youth):
    make.user(Role.WORKER, area=area_of(youth), email="olli@example.com",
              phone="+358501112233", display_name="Olli Ohjaaja")
    sign_in(client, youth)
    for kind, typed in (("email", "Olli@Example.com"), ("phone", "050 111 2233")):
        refused = post(client, f"/account/contact/{kind}", {kind: typed})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 200
        assert "This is already used on another account." in page
        assert "Olli" not in page.replace(typed, "")
        assert f'value="{typed}"' in page  # nothing lost
    assert messages(app, template="contact_code") == []


def test_a_bad_phone_number_gets_a_clear_message_in_each_language(app, client, youth):
    sign_in(client, youth)
    refused = add_phone(client, "040 abc")
    page = refused.get_data(as_text=True)
    assert "Write a phone number, like 040 123 4567" in page and 'value="040 abc"' in page
    post(client, "/language", {"language": "fi"})
    page = add_phone(client, "12").get_data(as_text=True)
    assert "Kirjoita puhelinnumero" in page
    assert messages(app, template="contact_code") == []


@pytest.mark.parametrize("typed", ["+358 40 123 4567", "0401234567", "00358401234567"])
def test_finnish_numbers_are_kept_in_one_form(app, client, youth, typed):
    sign_in(client, youth)
    assert_redirect(add_phone(client, typed))
    assert code_in_outbox(app, NUMBER)


def confirm_phone(app, client, typed="040 123 4567", number=NUMBER):
    add_phone(client, typed)
    assert_redirect(post(client, "/account/contact/phone/code",
                         {"code": code_in_outbox(app, number)}))


def test_changing_the_number_tells_the_old_one_and_removing_asks_first(app, client, youth):
    sign_in(client, youth)
    confirm_phone(app, client)
    confirm_phone(app, client, "050 999 8877", "+358509998877")
    assert person(app, youth.id).phone == "+358509998877"
    [told] = messages(app, template="account_changed", recipient=NUMBER)
    assert "no longer used for your account" in told.body and "999" not in told.body

    page = client.get("/account/contact/phone/remove").get_data(as_text=True)
    assert "Remove the phone number?" in page and "050 999 8877" in page
    assert person(app, youth.id).phone == "+358509998877"  # asking removed nothing
    assert_redirect(post(client, "/account/contact/phone/remove"), "/account/contact")
    assert person(app, youth.id).phone is None
    [last] = messages(app, template="account_changed", recipient="+358509998877")
    assert "was removed from your account" in last.body
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_user_id == youth.id,
            AuditEvent.action == "account.contact_removed")).all() == ["account.contact_removed"]
    assert remind(app) == []


def test_the_only_way_in_of_a_link_user_cannot_be_removed(app, client, make):
    lenni = make.user(Role.YOUTH, password=None, email="lenni@example.com")
    with app.app_context():  # signed in by a link a moment ago
        from peer_groups.auth import services as auth_services
        from peer_groups.auth.models import TokenPurpose
        token = auth_services.issue_token(db.session.get(User, lenni.id), TokenPurpose.SIGN_IN,
                                          timedelta(minutes=30))
        db.session.commit()
    post(client, f"/auth/link/{token}")
    page = client.get("/account/contact/email/remove").get_data(as_text=True)
    assert "You sign in with links sent here, so you need it." in page
    post(client, "/account/contact/email/remove")
    assert person(app, lenni.id).email == "lenni@example.com"


def test_choosing_the_channel_among_confirmed_ones(app, client, make, youth):
    with make.session():
        db.session.get(User, youth.id).email = "aino@example.com"
    sign_in(client, youth)
    confirm_phone(app, client)
    page = client.get("/account/contact").get_data(as_text=True)
    # Email first, until a choice is made.
    assert f"by email to {mask_email('aino@example.com')}" in page
    for value in ("app", "email", "sms"):
        assert f'value="{value}"' in page

    saved = post(client, "/account/contact/channel", {"notify_by": "sms"})
    assert_redirect(saved, "/account/contact")
    assert person(app, youth.id).notify_by is NotifyBy.SMS
    assert remind(app) == [("sms", NUMBER)]

    post(client, "/account/contact/channel", {"notify_by": "app"})
    assert person(app, youth.id).notify_by is NotifyBy.APP
    assert remind(app, DAY_BEFORE + timedelta(hours=21)) == [("sms", NUMBER)]  # none more
    assert "here in the app" in client.get("/account/contact").get_data(as_text=True)
    # Sign-in links still come: they are how the person gets in.
    post(client, "/auth/sign-out")
    post(client, "/auth/link", {"identifier": "aino@example.com"})
    answer_link_requests(app)  # the outbox worker, seconds later
    assert [m.recipient for m in messages(app, template="sign_in_link")] == [
        "aino@example.com"]


def test_a_channel_without_a_confirmed_address_cannot_be_chosen(app, client, youth):
    sign_in(client, youth)
    add_phone(client)  # waiting for its code
    refused = post(client, "/account/contact/channel", {"notify_by": "sms"})
    assert_redirect(refused, "/account/contact")
    assert person(app, youth.id).notify_by is None
    page = client.get("/account/contact").get_data(as_text=True)
    assert "Choose one of the ways shown." in page
    assert 'value="sms"' not in page


def test_the_waiting_list_says_truthfully_how_the_person_is_told(app, client, make, youth):
    area = area_of(youth)
    first = make.user(Role.YOUTH, area=area)
    group = make.group(area, members=[first, youth])
    full = make.meeting(group, capacity=1)
    with make.session():
        signups.sign_up(full.id, db.session.get(User, first.id))
    sign_in(client, youth)
    joined = post(client, f"/meetings/{full.id}/signup", follow_redirects=True)
    page = joined.get_data(as_text=True)
    assert "We will tell you here in the app if a place opens." in page
    assert "If a place opens, it is yours and we tell you here in the app." in page

    confirm_phone(app, client)
    page = client.get(f"/meetings/{full.id}").get_data(as_text=True)
    assert (f"If a place opens, it is yours and we tell you by text message to {MASKED}."
            in page)
    consents = client.get("/account/consents").get_data(as_text=True)
    assert f"Reminders come by text message to {MASKED}." in consents
    # And it is true: the place that opens is told by text message to that number.
    with make.session():
        signups.cancel_signup(full.id, db.session.get(User, first.id))
    [told] = messages(app, template="promoted")
    assert (told.channel, told.recipient) == (Channel.SMS, NUMBER)


def test_the_join_form_promises_what_happens(client, make):
    invitation = make.invitation(make.group(make.area()))
    page = client.get(f"/join/{invitation.token}").get_data(as_text=True)
    assert "News about your meetings, and reminders if you want them, come there too" in page
    assert "you find news and reminders here in the app" in page


def test_staff_and_strangers_have_no_contact_pages(app, client, make):
    worker = make.user(Role.WORKER)
    for path in ("/account/contact", "/account/contact/email"):
        assert_redirect(app.test_client().get(path)).headers["Location"].startswith(
            "/auth/sign-in")
    sign_in(client, worker)
    for path in ("/account/contact", "/account/contact/email", "/account/contact/phone/code",
                 "/account/contact/email/remove"):
        assert client.get(path).status_code == 404, path
    assert post(client, "/account/contact/phone", {"phone": "0401234567"}).status_code == 404
    assert "/account/contact" not in client.get("/account/").get_data(as_text=True)
    assert messages(app, template="contact_code") == []


def test_a_change_asks_for_the_password_again_after_a_while(app, client, youth):
    sign_in(client, youth)
    with app.app_context():  # signed in an hour ago, and no password typed since
        db.session.execute(update(AuthSession).values(
            created_at=datetime.now(UTC) - timedelta(hours=1)))
        db.session.commit()
    asked = add_phone(client)
    assert_redirect(asked, "/auth/confirm")
    assert messages(app, template="contact_code") == []
    assert_redirect(client.get("/account/contact/phone"), "/auth/confirm")
    confirmed = post(client, "/auth/confirm?next=/account/contact/phone",
                     {"password": PASSWORD})
    assert_redirect(confirmed, "/account/contact/phone")
    assert_redirect(add_phone(client), "/account/contact/phone/code")
    assert code_in_outbox(app, NUMBER)


def test_an_email_is_confirmed_by_its_code_and_the_phone_hears_of_it(app, client, youth):
    sign_in(client, youth)
    confirm_phone(app, client)
    assert_redirect(post(client, "/account/contact/email", {"email": " Aino@Example.com "}),
                    "/account/contact/email/code")
    [sent] = messages(app, template="contact_code", recipient="aino@example.com")
    assert sent.channel is Channel.EMAIL
    assert person(app, youth.id).email is None
    post(client, "/account/contact/email/code", {"code": code_in_outbox(app, "aino@example.com")})
    assert person(app, youth.id).email == "aino@example.com"
    [told] = messages(app, template="account_changed", recipient=NUMBER)
    assert "An email address was added to your account." in told.body
    assert "aino@example.com" not in told.body
    # The new address now signs the person in.
    post(client, "/auth/sign-out")
    post(client, "/auth/link", {"identifier": "aino@example.com"})
    answer_link_requests(app)  # the outbox worker, seconds later
    assert [m.recipient for m in messages(app, template="sign_in_link")] == ["aino@example.com"]


def test_my_data_says_how_news_reach_me_and_which_address_waits_for_its_code(
        app, client, youth):
    sign_in(client, youth)
    page = client.get("/account/data").get_data(as_text=True)
    assert "Not chosen: by email if you have one" in page
    confirm_phone(app, client)
    post(client, "/account/contact/channel", {"notify_by": "sms"})
    add_phone(client, "050 999 8877")  # a new number, its code not typed yet
    page = client.get("/account/data").get_data(as_text=True)
    assert "By text message" in page
    assert "Waiting for its code" in page and "+358509998877" in page
    profile = client.get("/account/data.json").get_json()["profile"]
    assert (profile["told_by"], profile["waiting_for_code"]) == ("By text message",
                                                                 "+358509998877")
    csv_text = client.get("/account/data.csv").get_data(as_text=True)
    assert "profile,1,told_by,By text message" in csv_text
