"""Joining a group by invitation and signing up for meetings, on a phone in a real browser.

Texts are compared through `t`, in the language the person sees. `check_page` (no sideways
scroll, axe WCAG 2.1 A/AA) runs on every page visited; the `page` fixture, and `phone` for a
second person's phone, fail the test on any 5xx, CSP or console error.
"""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.contacts import mask_email
from peer_groups.domain.passwords import MIN_LENGTH
from peer_groups.domain.roles import Role
from peer_groups.groups.models import GroupMember
from peer_groups.invitations.models import Invitation
from peer_groups.notifications.models import OutboxMessage
from peer_groups.signups import services as signups
from tests.browser.conftest import check_page, flashes, heading, html_lang, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "kissa kävelee kuussa"  # noqa: S105 - a test password, not a common one


def starts_with(label):
    """A name that begins with `label` (buttons add the item they are about, visually hidden)."""
    return re.compile(rf"^{re.escape(label)}")


def next_meeting_card(page, t, lang="fi"):
    return page.get_by_role("region", name=t("Next meeting", lang), exact=True)


def signup_box(page, t):
    return page.get_by_role("region", name=t("My sign-up"), exact=True)


def outbox(page):
    """(recipient line, whole text) of each message in the development outbox, newest first."""
    page.goto("/dev/outbox/")
    check_page(page)
    items = page.locator("ol.outbox > li.card")
    return [(item.locator("p").first.inner_text(), item.inner_text()) for item in items.all()]


def people_in(page, t, title, count):
    """The names in one list of "Who is coming", after checking the count in its heading."""
    section = page.get_by_role("region", name=f"{t(title)} ({count})", exact=True)
    return [name.strip() for name in section.locator("ol.people > li > span").all_inner_texts()]


@pytest.fixture
def group_with_meeting(make):
    area = make.area(name="Pirkanmaa")
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja", language="fi")
    group = make.group(area, facilitators=[worker], name="Tampereen torstait",
                       description="Pelejä, ruokaa ja juttuseuraa.")
    meeting = make.meeting(group, capacity=1, venue_name="Kulma", venue_address="Hämeenkatu 1")
    return {"area": area, "worker": worker, "group": group, "meeting": meeting}


# --- 1. Joining by an invitation link --------------------------------------------------------


def finishing_link(app, recipient):
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == recipient).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"https?://[^/\s]+(/join/finish/\S+)", message.body).group(1)


def test_young_person_joins_by_link_and_sees_the_next_meeting(page, t, app, make,
                                                              group_with_meeting):
    group, meeting = group_with_meeting["group"], group_with_meeting["meeting"]
    invitation = make.invitation(group)
    this_year = datetime.now(UTC).year

    response = page.goto(f"/join/{invitation.token}")
    assert response.status == 200
    assert heading(page) == t("Join %(group)s", group="Tampereen torstait")
    assert "Pelejä, ruokaa ja juttuseuraa." in page.locator("main").inner_text()
    # The birth year is asked with its reason, tied to the field for screen readers.
    year = page.get_by_label(t("Birth year"), exact=True)
    hint = page.locator(f"#{year.get_attribute('aria-describedby')}").inner_text()
    assert hint == t("We ask only the year, never the whole date. Aftercare lasts until you "
                     "are %(age)s where you live, and your account ends with it.", age=23)
    check_page(page)

    page.get_by_label(t("Your name or nickname"), exact=True).fill("Nelli")
    year.fill(str(this_year - 19))
    page.get_by_role("radio", name="På svenska", exact=True).check()
    page.get_by_label(t("Email or phone number"), exact=True).fill(" Nelli@Example.com ")
    page.get_by_role("radio", name=t("Send me a link each time (no password)"),
                     exact=True).check()
    page.get_by_role("button", name=t("Join the group"), exact=True).click()

    # One answer, whoever uses the address: check your messages (in the language picked).
    page.wait_for_load_state()
    assert heading(page) == t("Check your messages", "sv")
    assert html_lang(page) == "sv"
    check_page(page)

    page.goto(finishing_link(app, "nelli@example.com"))
    assert heading(page) == t("Finish joining %(group)s", "sv", group="Tampereen torstait")
    remember = page.get_by_label(t("Keep me signed in on this phone", "sv"), exact=True)
    assert not remember.is_checked()
    check_page(page)
    page.get_by_role("button", name=t("Finish joining", "sv"), exact=True).click()

    # Signed in, in the language picked, with the group's next meeting on top.
    page.wait_for_url("**/home")
    assert html_lang(page) == "sv"
    assert heading(page) == t("Hi, %(name)s!", "sv", name="Nelli")
    assert flashes(page) == [t("Welcome to %(group)s!", "sv", group="Tampereen torstait")]
    card = next_meeting_card(page, t, "sv")
    assert card.locator(".meeting-group").inner_text() == "Tampereen torstait"
    assert card.get_by_role("link").get_attribute("href") == f"/meetings/{meeting.id}"
    assert card.locator(".meeting-where").inner_text() == "Kulma, Hämeenkatu 1"
    assert card.locator(".badge").inner_text() == t("Not signed up", "sv")
    check_page(page)

    with app.app_context():
        nelli = db.session.scalars(select(User).where(User.display_name == "Nelli")).one()
        assert (nelli.role, nelli.email, nelli.language) == (Role.YOUTH, "nelli@example.com",
                                                              "sv")
        assert nelli.password_hash is None and nelli.username is None
        assert nelli.birth_year == this_year - 19
        assert nelli.area_id == group_with_meeting["area"].id
        assert db.session.get(GroupMember, (group.id, nelli.id)) is not None
        assert db.session.get(Invitation, invitation.id).uses == 1


def test_an_address_already_in_use_gets_the_same_answer_and_its_owner_is_told(
        page, t, app, make, group_with_meeting):
    make.user(Role.YOUTH, email="jo@example.com", language="fi")  # in another area
    invitation = make.invitation(group_with_meeting["group"], max_uses=5)
    answers = []
    for address in ("jo@example.com", "uusi@example.com"):
        page.goto(f"/join/{invitation.token}")
        page.get_by_label(t("Your name or nickname"), exact=True).fill("Joku")
        page.get_by_label(t("Birth year"), exact=True).fill(str(datetime.now(UTC).year - 18))
        page.get_by_label(t("Email or phone number"), exact=True).fill(address)
        page.get_by_role("button", name=t("Join the group"), exact=True).click()
        page.wait_for_load_state()
        check_page(page)
        answers.append((page.url, page.locator("main").inner_html()))
    assert answers[0] == answers[1]
    assert heading(page) == t("Check your messages")
    with app.app_context():
        told = db.session.scalars(select(OutboxMessage.template).where(
            OutboxMessage.recipient == "jo@example.com")).all()
    assert told == ["join_attempt"]


def test_worker_makes_an_invitation_with_a_link_and_a_qr_code(page, phone, t, live_server,
                                                             group_with_meeting):
    group = group_with_meeting["group"]
    sign_in(page, t, group_with_meeting["worker"])
    page.goto(f"/groups/{group.id}")
    assert heading(page) == "Tampereen torstait"
    check_page(page)

    page.get_by_role("link", name=t("Invite young people"), exact=True).click()
    page.wait_for_url(f"**/groups/{group.id}/invitations")
    assert heading(page) == t("Invite young people")
    assert page.get_by_text(t("No valid invitations."), exact=True).is_visible()
    check_page(page)

    page.get_by_label(t("How many people can use the invitation"), exact=True).fill("5")
    page.get_by_role("button", name=t("Make an invitation"), exact=True).click()
    page.wait_for_url(f"**/groups/{group.id}/invitations")
    assert flashes(page) == [t("The invitation is ready.")]
    invitations = page.locator("li.invitation")
    assert invitations.count() == 1
    link = page.get_by_label(t("Link"), exact=True).input_value()
    assert re.fullmatch(rf"{re.escape(live_server)}/join/[A-Za-z0-9_-]{{16,}}", link)
    assert t("Used %(uses)s of %(max)s times.", uses=0, max=5) in invitations.inner_text()

    qr = page.get_by_role("img", name=t("QR code that opens the invitation to %(group)s",
                                        group="Tampereen torstait"), exact=True)
    qr.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=qr.element_handle())
    svg = page.request.get(qr.get_attribute("src"))
    assert svg.status == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in svg.text()
    check_page(page)

    # The link works on the young person's own phone.
    youth = phone()
    assert youth.goto(link).status == 200
    assert heading(youth) == t("Join %(group)s", group="Tampereen torstait")


def test_invitations_that_do_not_work_say_so_kindly(page, t, make, group_with_meeting):
    group = group_with_meeting["group"]
    cases = {
        make.invitation(group, days=-1).token:
            "This invitation is no longer valid. Ask your worker for a new one.",
        make.invitation(group, revoked_at=datetime.now(UTC)).token:
            "This invitation was turned off. Ask your worker for a new one.",
        "no-such-token": "We could not find this invitation. Check that the whole link was "
                         "copied, or ask your worker for a new one.",
    }
    for token, message in cases.items():
        response = page.goto(f"/join/{token}")
        assert response.status == 410
        assert heading(page) == t("This invitation does not work")
        assert page.get_by_text(t(message), exact=True).is_visible()
        assert page.get_by_role("link", name=t("Sign in"), exact=True).count() == 1
        assert page.get_by_role("button", name=t("Join the group")).count() == 0
        check_page(page)


def test_join_form_errors_are_accessible_and_keep_what_was_typed(page, t, make,
                                                                 group_with_meeting):
    invitation = make.invitation(group_with_meeting["group"])
    this_year = datetime.now(UTC).year
    page.goto(f"/join/{invitation.token}")
    page.get_by_role("radio", name=t("With a password"), exact=True).check()
    page.get_by_role("button", name=t("Join the group"), exact=True).click()

    page.locator(".error-summary").wait_for()
    assert page.url.endswith(f"/join/{invitation.token}")
    assert page.get_by_role("alert").inner_text().strip() == t("Please check the marked fields.")
    expected = {
        t("Your name or nickname"): t("Write a name or nickname."),
        t("Birth year"): t("Write the year you were born, like %(year)s.", year=this_year - 18),
        t("Password"): t("Use at least %(min)s characters.", min=MIN_LENGTH),
    }
    for label, error in expected.items():
        field = page.get_by_label(label, exact=True)
        assert field.get_attribute("aria-invalid") == "true", label
        described = field.get_attribute("aria-describedby").split()
        errors = [page.locator(f"#{id_}").inner_text() for id_ in described
                  if id_.endswith("-error")]
        assert errors == [error], label
    assert page.get_by_label(t("Email or phone number"),
                             exact=True).get_attribute("aria-invalid") is None
    # The choice made is kept; the defaults stay as they were.
    assert page.get_by_role("radio", name=t("With a password"), exact=True).is_checked()
    assert page.get_by_role("radio", name="Suomeksi", exact=True).is_checked()
    check_page(page)

    # Typed text survives the next round, the password (rightly) does not.
    page.get_by_label(t("Your name or nickname"), exact=True).fill("Nelli")
    page.get_by_label(t("Birth year"), exact=True).fill("1990")
    page.get_by_label(t("Password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name=t("Join the group"), exact=True).click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_label(t("Your name or nickname"), exact=True).input_value() == "Nelli"
    assert page.get_by_label(t("Birth year"), exact=True).input_value() == "1990"
    assert page.get_by_label(t("Password"), exact=True).input_value() == ""
    year = page.get_by_label(t("Birth year"), exact=True)
    assert year.get_attribute("aria-invalid") == "true"
    assert t("Write a year from %(oldest)s to %(youngest)s. The groups are for young people "
             "aged %(min)s to %(max)s.", oldest=this_year - 23, youngest=this_year - 16,
             min=16, max=23) in page.locator("main").inner_text()
    check_page(page)

    # No email or phone: the username is made for the person, and shown once they are in.
    year.fill(str(this_year - 17))
    page.get_by_label(t("Password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name=t("Join the group"), exact=True).click()
    page.wait_for_url("**/home")
    assert heading(page) == t("Hi, %(name)s!", name="Nelli")
    assert re.search(r"nelli\.[0-9]{4}", " ".join(flashes(page)))
    check_page(page)


# --- 2. Signing up, the waiting list and cancelling -------------------------------------------


def test_waiting_list_moves_up_when_someone_cancels(page, phone, t, live_server, make,
                                                    group_with_meeting):
    area, group = group_with_meeting["area"], group_with_meeting["group"]
    meeting = group_with_meeting["meeting"]
    aino = make.user(Role.YOUTH, area=area, display_name="Aino", language="fi")
    bea = make.user(Role.YOUTH, area=area, display_name="Bea", language="fi")
    with make.session() as session:
        session.add_all([GroupMember(group_id=group.id, user_id=aino.id),
                         GroupMember(group_id=group.id, user_id=bea.id)])
    meeting_url = f"/meetings/{meeting.id}"

    # Aino takes the only place with one tap on the big card of her home page.
    sign_in(page, t, aino)
    card = next_meeting_card(page, t)
    assert card.locator(".badge").inner_text() == t("Not signed up")
    check_page(page)
    card.get_by_role("button", name=starts_with(t("Sign me up"))).click()
    page.wait_for_url(f"**{meeting_url}")
    how = t("by email to %(address)s", address=mask_email(aino.email))
    assert flashes(page) == [t("You are signed up. See you there! If anything changes, we tell "
                               "you %(how)s.", how=how)]
    assert signup_box(page, t).locator(".signup-status").inner_text() == t(
        "You have a place. See you there!")
    check_page(page)

    # Bea, on her own phone, finds it full and joins the waiting list.
    bea_page = phone()
    sign_in(bea_page, t, bea)
    card = next_meeting_card(bea_page, t)
    card.get_by_role("button", name=starts_with(t("Full: join the waiting list"))).click()
    bea_page.wait_for_url(f"**{meeting_url}")
    # Told truthfully how she will hear of a place: by email, to her address (masked).
    told = t("by email to %(address)s", address=mask_email(bea.email))
    assert flashes(bea_page) == [t("The meeting is full, so you are on the waiting list. We "
                                   "will tell you %(how)s if a place opens.", how=told)]
    assert t("If a place opens, it is yours and we tell you %(how)s.", how=told) in signup_box(
        bea_page, t).inner_text()
    assert signup_box(bea_page, t).locator(".signup-status").inner_text() == t(
        "You are number %(num)s on the waiting list.", num=1)
    assert signup_box(bea_page, t).get_by_role("link").inner_text() == t(
        "Leave the waiting list")
    check_page(bea_page)
    bea_page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t("Home"), exact=True).click()
    bea_page.wait_for_url("**/home")
    assert next_meeting_card(bea_page, t).locator(".badge").inner_text() == t(
        "Waiting list: number %(num)s", num=1)
    check_page(bea_page)

    # Aino cancels, after being asked to confirm.
    page.reload()
    signup_box(page, t).get_by_role("link", name=t("Cancel my place"), exact=True).click()
    page.wait_for_url(f"**{meeting_url}/cancel")
    assert heading(page) == t("Cancel my sign-up?")
    assert page.get_by_text(t("Your place goes to the next person in line. You can sign up "
                              "again later if there is room."), exact=True).is_visible()
    check_page(page)
    page.get_by_role("button", name=t("Yes, cancel"), exact=True).click()
    page.wait_for_url(f"**{meeting_url}")
    assert flashes(page) == [t("Your sign-up is cancelled. Thanks for letting us know!")]
    # Bea got the place at once, so the meeting is full again for Aino.
    assert signup_box(page, t).get_by_role("button").inner_text() == t(
        "Full: join the waiting list")
    check_page(page)

    # Bea, reloading, has the place, and a message tells her so.
    bea_page.reload()
    card = next_meeting_card(bea_page, t)
    assert card.locator(".badge").inner_text() == t("You are signed up")
    card.get_by_role("link").click()
    bea_page.wait_for_url(f"**{meeting_url}")
    assert signup_box(bea_page, t).locator(".signup-status").inner_text() == t(
        "You have a place. See you there!")
    check_page(bea_page)

    messages = outbox(bea_page)
    assert len(messages) == 1
    recipient, text = messages[0]
    assert "EMAIL" in recipient and bea.email in recipient
    assert t("A place opened for you") in text
    assert f"{live_server}{meeting_url}" in text


# --- 3. The staff list of who is coming -------------------------------------------------------


def test_worker_adds_and_removes_people_and_the_queue_moves(page, t, app, make,
                                                            group_with_meeting):
    area, group = group_with_meeting["area"], group_with_meeting["group"]
    meeting = group_with_meeting["meeting"]
    aino, bea, cecilia = (make.user(Role.YOUTH, area=area, display_name=name, language="fi")
                          for name in ("Aino", "Bea", "Cecilia"))
    with app.app_context():
        db.session.add_all(GroupMember(group_id=group.id, user_id=u.id)
                           for u in (aino, bea, cecilia))
        signups.sign_up(meeting.id, aino)
        signups.cancel_signup(meeting.id, aino)
        signups.sign_up(meeting.id, bea)
        db.session.commit()

    sign_in(page, t, group_with_meeting["worker"])
    page.goto(f"/meetings/{meeting.id}")
    check_page(page)
    page.get_by_role("link", name=t("Who is coming"), exact=True).click()
    page.wait_for_url(f"**/meetings/{meeting.id}/people")
    assert heading(page) == t("Who is coming")
    assert page.get_by_text(t("%(taken)s of %(capacity)s places taken.", taken=1,
                              capacity=1), exact=True).is_visible()
    assert people_in(page, t, "Have a place", 1) == ["Bea"]
    assert people_in(page, t, "Waiting list", 0) == []
    assert people_in(page, t, "Cancelled sign-ups", 1) == ["Aino"]
    check_page(page)

    # Cecilia asked in person: the meeting is full, so she goes on the waiting list.
    add = page.get_by_role("region", name=t("Add a member by hand"), exact=True)
    add.get_by_label(t("Who"), exact=True).select_option(label="Cecilia")
    add.get_by_label(t("Why"), exact=True).select_option(label=t("Asked me in person"))
    add.get_by_role("button", name=t("Add"), exact=True).click()
    page.wait_for_url(f"**/meetings/{meeting.id}/people")
    assert flashes(page) == [t("%(name)s is added.", name="Cecilia")]
    assert people_in(page, t, "Have a place", 1) == ["Bea"]
    assert people_in(page, t, "Waiting list", 1) == ["1. Cecilia"]
    check_page(page)

    # Bea is taken off (she asked): Cecilia moves up.
    row = page.get_by_role("region", name=f"{t('Have a place')} (1)", exact=True).locator(
        "li").filter(has_text="Bea")
    row.get_by_label(t("Why"), exact=True).select_option(label=t("The young person asked"))
    take_off = row.get_by_role("button", name=starts_with(t("Take off the list")))
    assert take_off.bounding_box()["height"] >= 44  # big enough for a thumb
    take_off.click()
    page.wait_for_url(f"**/meetings/{meeting.id}/people")
    assert flashes(page) == [t("%(name)s is taken off the list.", name="Bea")]
    assert people_in(page, t, "Have a place", 1) == ["Cecilia"]
    assert people_in(page, t, "Waiting list", 0) == []
    assert people_in(page, t, "Cancelled sign-ups", 2) == ["Aino", "Bea"]
    check_page(page)

    with app.app_context():
        reasons = dict(db.session.execute(
            select(AuditEvent.action, AuditEvent.detail)
            .where(AuditEvent.action.in_(["signup.added_by_staff", "signup.removed_by_staff"]))
        ).all())
    assert reasons == {"signup.added_by_staff": "in_person", "signup.removed_by_staff": "asked"}

    # Bea is told she was taken off; Cecilia that the place is hers.
    told = {recipient.split("→")[1].split("·")[0].strip(): text
            for recipient, text in outbox(page)}
    assert set(told) == {bea.email, cecilia.email}
    assert t("A place opened for you") in told[cecilia.email]
    assert t("Your sign-up was cancelled") in told[bea.email]
