"""Consent, the register, my data and the audit log, as people use them on phones.

A young person answers on her own phone while her worker keeps the register on his; what
she allows (or takes back) shows on his screen at the next reload. Texts are compared
through `t`, in Finnish; `check_page` runs on every page visited, and the `page` and `phone`
fixtures fail the test on any 5xx, CSP or console error.
"""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from peer_groups.attendance.models import Attendance
from peer_groups.audit.models import AuditEvent
from peer_groups.audit.services import record, record_views
from peer_groups.auth.models import User
from peer_groups.consent import services as consent
from peer_groups.consent.default_texts import DEFAULT_TEXTS
from peer_groups.consent.models import ConsentAnswer, ConsentText, DietaryNeeds
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import Meeting
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup
from tests import factories
from tests.browser.conftest import check_page, flashes, heading, sign_in

pytestmark = pytest.mark.browser

ATTENDANCE_TEXT_FI = DEFAULT_TEXTS["attendance"]["fi"]


def about(label, item):
    """A button's or link's name: its label, then (visually hidden) the item it is about."""
    return re.compile(rf"^{re.escape(label)}\s*:\s*{re.escape(item)}$")


def squeeze(text):
    return " ".join(text.split())


@pytest.fixture
def group_now(app, make):
    """A meeting starting in half an hour: its worker, Aino (signed up) and Bea (a member)."""
    area = make.area(name="Pirkanmaa")
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja", language="fi")
    aino = make.user(Role.YOUTH, area=area, display_name="Aino Aalto", language="fi")
    bea = make.user(Role.YOUTH, area=area, display_name="Bea Berg", language="fi")
    group = make.group(area, facilitators=[worker], members=[aino, bea],
                       name="Tampereen torstait")
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    meeting = make.meeting(group, starts_at=starts, venue_name="Kulma")
    with app.app_context():
        signups.sign_up(meeting.id, aino, by=worker, reason="in_person")
        db.session.commit()
    return {"area": area, "worker": worker, "aino": aino, "bea": bea, "group": group,
            "meeting": meeting}


def register_row(page, person):
    return page.locator(f"li.register-row#person-{person.id}")


def row_state(page, person):
    return register_row(page, person).locator(".state").inner_text().strip()


def total(page):
    return page.locator(".register-total").inner_text().strip()


def sent(page):
    """A tap on today's register is kept on the phone and sent (static/js/register.js): wait
    until the server has it."""
    for _ in range(100):
        if page.evaluate("localStorage.getItem('peer-groups-register-queue')") is None:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the register's taps were not sent")


def consent_card(page, t, title):
    return page.get_by_role("region", name=t(title), exact=True)


def answer_button(page, t, title, answer):
    return consent_card(page, t, title).get_by_role(
        "button", name=about(t(answer), t(title)))


def say(page, t, title, answer, purpose):
    """Tap Yes or No on one consent; back on the same card of My consents."""
    answer_button(page, t, title, answer).click()
    page.wait_for_url(f"**/account/consents#{purpose}")


# --- 1. Consent given and taken back while the register is open ------------------------------


def test_young_person_gives_then_withdraws_attendance_consent_while_the_register_reflects_it(
        page, phone, t, app, group_now):
    worker, aino, bea = group_now["worker"], group_now["aino"], group_now["bea"]
    meeting = group_now["meeting"]
    register_url = f"/meetings/{meeting.id}/register"
    no_consent = t("No consent: count in the headcount")

    # The worker opens the meeting and its register: nobody has said yes to names.
    sign_in(page, t, worker)
    page.goto(f"/meetings/{meeting.id}")
    check_page(page)
    page.get_by_role("link", name=t("Attendance register"), exact=True).click()
    page.wait_for_url(f"**{register_url}")
    assert heading(page) == t("Attendance register")
    assert row_state(page, aino) == no_consent
    assert row_state(page, bea) == no_consent
    assert page.get_by_role("region", name=f"{t('Signed up')} (1)", exact=True).locator(
        ".who").all_inner_texts() == ["Aino Aalto"]
    assert register_row(page, aino).get_by_role("button").count() == 0
    assert total(page) == t("Total: %(num)s", num=0)
    check_page(page)

    # Aino, on her own phone, is asked on her home page and says yes.
    youth = phone()
    sign_in(youth, t, aino)
    notice = youth.locator("main .notice").filter(
        has_text=t("We have a question for you about your data."))
    assert notice.count() == 1
    check_page(youth)
    notice.get_by_role("link", name=t("Answer now"), exact=True).click()
    youth.wait_for_url("**/account/consents")
    assert heading(youth) == t("My consents")
    card = consent_card(youth, t, "Recording my attendance")
    assert card.locator(".consent-text").inner_text().strip() == ATTENDANCE_TEXT_FI
    assert card.locator(".badge").inner_text() == t("New: please answer")
    yes = answer_button(youth, t, "Recording my attendance", "Yes")
    no = answer_button(youth, t, "Recording my attendance", "No")
    assert (yes.get_attribute("aria-pressed"), no.get_attribute("aria-pressed")) == (
        "false", "false")
    check_page(youth)
    say(youth, t, "Recording my attendance", "Yes", "attendance")
    assert flashes(youth) == [t("Thanks, saved. You can change this any time.")]
    assert (yes.get_attribute("aria-pressed"), no.get_attribute("aria-pressed")) == (
        "true", "false")
    assert t("Your answer: yes.") in card.locator(".consent-state").inner_text()
    assert card.locator(".badge").count() == 0
    check_page(youth)

    # The worker reloads: Aino can now be marked by name; Bea still cannot.
    page.reload()
    assert row_state(page, aino) == t("Not marked")
    assert row_state(page, bea) == no_consent
    present = register_row(page, aino).get_by_role(
        "button", name=about(t("Present"), "Aino Aalto"))
    absent = register_row(page, aino).get_by_role(
        "button", name=about(t("Absent"), "Aino Aalto"))
    assert present.get_attribute("aria-pressed") == "false"
    check_page(page)
    for _tap in range(2):  # a second tap (a shaky hand, a slow network) changes nothing
        present.click()
        sent(page)
        assert row_state(page, aino) == t("Present")
        assert present.get_attribute("aria-pressed") == "true"
        assert absent.get_attribute("aria-pressed") == "false"
        assert total(page) == t("Total: %(num)s", num=1)
    check_page(page)

    # Bea came too, without a name: one more in the headcount.
    page.get_by_role("button", name=t("One more"), exact=True).click()
    sent(page)
    assert page.locator("#headcount output").inner_text().strip() == "1"
    assert total(page) == t("Total: %(num)s", num=2)
    check_page(page)

    with app.app_context():
        marks = db.session.scalars(select(Attendance).where(
            Attendance.meeting_id == meeting.id)).all()
        assert [(a.user_id, a.present, a.marked_by_id) for a in marks] == [
            (aino.id, True, worker.id)]

    # Aino changes her mind: just as easy as saying yes.
    say(youth, t, "Recording my attendance", "No", "attendance")
    assert flashes(youth) == [t("Saved. We won't do this.")]
    assert (yes.get_attribute("aria-pressed"), no.get_attribute("aria-pressed")) == (
        "false", "true")
    assert t("Your answer: no.") in card.locator(".consent-state").inner_text()
    check_page(youth)

    # The worker reloads: her name is off the register, and she is still counted.
    page.reload()
    assert row_state(page, aino) == no_consent
    assert register_row(page, aino).get_by_role("button").count() == 0
    assert page.locator("#headcount output").inner_text().strip() == "2"
    assert total(page) == t("Total: %(num)s", num=2)
    check_page(page)

    with app.app_context():
        assert db.session.scalar(select(func.count(Attendance.id)).where(
            Attendance.user_id == aino.id)) == 0
        assert db.session.get(Meeting, meeting.id).headcount == 2
        answers = db.session.scalars(select(ConsentAnswer).where(
            ConsentAnswer.user_id == aino.id).order_by(ConsentAnswer.id)).all()
        assert [(a.purpose, a.given, a.channel) for a in answers] == [
            (Purpose.ATTENDANCE, True, "self"), (Purpose.ATTENDANCE, False, "self")]
        assert not consent.consent_stands_for(aino.id, Purpose.ATTENDANCE)


# --- 2. My data: see it, download it, erase it ------------------------------------------------


def test_young_person_sees_downloads_and_erases_her_data(page, phone, t, app, group_now):
    worker, aino, meeting = group_now["worker"], group_now["aino"], group_now["meeting"]
    with app.app_context():
        consent.answer(db.session.get(User, aino.id), Purpose.ATTENDANCE, True)
        db.session.commit()

    # The worker opens the register: that is a look at Aino's data, and she will see it.
    staff = phone()
    sign_in(staff, t, worker)
    staff.goto(f"/meetings/{meeting.id}/register")
    assert row_state(staff, aino) == t("Not marked")
    check_page(staff)

    sign_in(page, t, aino)
    page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t("My account"), exact=True).click()
    page.wait_for_url("**/account/")
    check_page(page)
    page.locator("main").get_by_role("link", name=t("My data"), exact=True).click()
    page.wait_for_url("**/account/data")
    assert heading(page) == t("My data")
    main = page.locator("main")
    assert aino.email in main.locator(".facts").inner_text()
    assert "Tampereen torstait" in main.locator(".facts").inner_text()
    signups_box = page.get_by_role("region", name=f"{t('Sign-ups')} (1)", exact=True)
    assert "Tampereen torstait" in signups_box.inner_text()
    answers = page.get_by_role("region", name=t("Your consent answers"), exact=True)
    details = answers.locator("details")
    assert details.count() == 1
    details.locator("summary").click()
    assert details.locator(".consent-text").inner_text().strip() == ATTENDANCE_TEXT_FI
    looked = page.get_by_role("region", name=t("Who has looked at your data"), exact=True)
    rows = [[squeeze(cell) for cell in row.locator("td").all_inner_texts()]
            for row in looked.locator("tbody tr").all()]
    # Newest first: he opened the register after adding her to the meeting.
    assert [row[1:] for row in rows] == [
        [f"Olli Ohjaaja ({t('Worker')})", t("opened the register of a meeting")],
        [f"Olli Ohjaaja ({t('Worker')})", t("gave you a place in a meeting")]]
    check_page(page)

    # The download is the same data, for her to keep.
    with page.expect_download() as info:
        main.get_by_role("link", name=t("Download (JSON)"), exact=True).click()
    download = info.value
    assert download.suggested_filename == "my-data.json"
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["profile"]["email"] == aino.email
    assert [(c["purpose"], c["answer"], c["text"]) for c in data["consents"]] == [
        (t("Recording my attendance"), t("Yes"), ATTENDANCE_TEXT_FI)]
    assert [(row["who"], row["page"]) for row in data["who_viewed_or_changed"]] == [
        ("Olli Ohjaaja", t("opened the register of a meeting")),
        ("Olli Ohjaaja", t("gave you a place in a meeting"))]
    assert [s["group"] for s in data["signups"]] == ["Tampereen torstait"]

    # Erasing offers the download, asks for her password, then signs her out.
    page.get_by_role("link", name=t("I want my account and data erased"), exact=True).click()
    page.wait_for_url("**/account/erase")
    assert heading(page) == t("Erase my account?")
    check_page(page)
    page.get_by_label(t("Password"), exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name=t("Yes, erase everything"), exact=True).click()
    page.wait_for_url(re.compile(r"/$"))
    assert flashes(page) == [t("Your account and your data are erased. Take care!")]
    assert page.get_by_role("navigation", name=t("Main menu")).count() == 0
    assert page.locator("main").get_by_role("link", name=t("Sign in"), exact=True).count() == 1
    check_page(page)
    assert page.goto("/account/data").url.split("?")[0].endswith("/auth/sign-in")

    with app.app_context():
        assert db.session.get(User, aino.id) is None
        assert db.session.scalar(select(func.count(ConsentAnswer.id)).where(
            ConsentAnswer.user_id == aino.id)) == 0
        assert db.session.scalar(select(func.count(Signup.id)).where(
            Signup.meeting_id == meeting.id)) == 0
        assert db.session.get(Meeting, meeting.id).taken == 0  # her place is free again
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "account.erased", AuditEvent.subject_user_id == aino.id)) == 1


# --- 3. A spoken yes, recorded by the worker ---------------------------------------------------


def test_worker_records_a_spoken_consent_only_after_checking_understanding(page, t, app,
                                                                          group_now):
    worker, bea, meeting = group_now["worker"], group_now["bea"], group_now["meeting"]
    register_url = f"/meetings/{meeting.id}/register"
    sign_in(page, t, worker)
    page.goto(register_url)
    check_page(page)
    register_row(page, bea).get_by_role(
        "link", name=about(t("They say yes now"), "Bea Berg")).click()
    page.wait_for_url(f"**{register_url}/{bea.id}/consent")
    assert heading(page) == t("Record a spoken consent")
    assert page.locator("main .consent-text").inner_text().strip() == ATTENDANCE_TEXT_FI
    check_page(page)

    # Without the check, nothing is recorded, and the error is tied to the checkbox.
    understood = page.get_by_label(
        t("I read the text with them and checked that they understand what it means."),
        exact=True)
    record_it = page.get_by_role("button", name=t("They said yes: record it"), exact=True)
    record_it.click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_role("alert").inner_text().strip() == t("Please check the marked fields.")
    assert understood.get_attribute("aria-invalid") == "true"
    error_id = understood.get_attribute("aria-describedby")
    assert page.locator(f"#{error_id}").inner_text() == t(
        "Tick this box first: the young person must understand.")
    check_page(page)
    with app.app_context():
        assert not consent.consent_stands_for(bea.id, Purpose.ATTENDANCE)

    understood.check()
    record_it.click()
    page.wait_for_url(f"**{register_url}#person-{bea.id}")
    assert flashes(page) == [t("Consent recorded. You can now mark %(name)s by name.",
                               name="Bea Berg")]
    assert row_state(page, bea) == t("Not marked")
    assert register_row(page, bea).get_by_role(
        "button", name=about(t("Present"), "Bea Berg")).count() == 1
    check_page(page)

    with app.app_context():
        answer = db.session.scalars(select(ConsentAnswer).where(
            ConsentAnswer.user_id == bea.id)).one()
        assert (answer.purpose, answer.given, answer.channel, answer.recorded_by_id,
                answer.understanding_checked) == (Purpose.ATTENDANCE, True, "worker",
                                                  worker.id, True)
        assert answer.text.version == 1


# --- 4. The admin's audit log and consent texts -----------------------------------------------


def test_admin_filters_the_audit_log_and_publishes_a_consent_text(page, t, app, make,
                                                                   group_now):
    area, worker = group_now["area"], group_now["worker"]
    aino, bea, meeting = group_now["aino"], group_now["bea"], group_now["meeting"]
    admin = make.user(Role.ADMIN, area=area, display_name="Anna Admin", language="fi")
    elsewhere = make.user(Role.WORKER, display_name="Muu Alue")
    with app.app_context():
        people = [db.session.get(User, u.id) for u in (worker, aino, bea, elsewhere)]
        staff, aino_now, bea_now, stranger = people
        record_views(staff, "register.viewed", [aino_now, bea_now],
                     obj=db.session.get(Meeting, meeting.id), area_id=area.id)
        record(staff, "attendance.marked", subject=aino_now, area_id=area.id, detail="present")
        record(stranger, "register.viewed", subject=stranger)  # another area: never shown
        db.session.commit()

    sign_in(page, t, admin)
    administration = page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t("Administration"), exact=True)
    administration.click()
    page.wait_for_url(f"**/admin/areas/{area.id}")  # an area's admin goes to their area
    check_page(page)
    page.get_by_role("link", name=t("Audit log"), exact=True).click()
    page.wait_for_url(f"**/admin/areas/{area.id}/audit")
    assert heading(page) == t("Audit log")
    check_page(page)

    page.get_by_label(t("What happened"), exact=True).select_option(label=t("Registers opened"))
    page.get_by_role("button", name=t("Filter"), exact=True).click()
    page.wait_for_url(re.compile(r"/audit\?.*action=register\."))
    assert page.get_by_label(t("What happened"), exact=True).input_value() == "register."
    rows = [[squeeze(cell) for cell in row.locator("td").all_inner_texts()][1:]
            for row in page.locator("table.data-table tbody tr").all()]
    assert sorted(whose for _what, whose in rows) == ["Aino Aalto", "Bea Berg"]
    assert all(what.startswith("Olli Ohjaaja katsoi ") and what.endswith(
        " tapaamisen läsnäololistan") for what, _whose in rows)
    check_page(page)

    page.goto(f"/admin/areas/{area.id}/audit?action=nothing.like.this")  # a link may carry any
    assert page.locator("table.data-table tbody").inner_text().strip() == t("Nothing found.")

    # The area's consent texts, and a new version: an empty text is refused, accessibly.
    administration.click()
    page.wait_for_url(f"**/admin/areas/{area.id}")
    page.get_by_role("link", name=t("Consent texts"), exact=True).click()
    texts_url = f"/admin/areas/{area.id}/consent-texts"
    page.wait_for_url(f"**{texts_url}")
    assert heading(page) == t("Consent texts")
    attendance = page.get_by_role("region", name=t("Recording my attendance"), exact=True)
    assert attendance.locator(".consent-text").inner_text().strip() == ATTENDANCE_TEXT_FI
    check_page(page)
    attendance.get_by_role("link", name=about(t("Publish a new version"),
                                              t("Recording my attendance"))).click()
    page.wait_for_url(f"**{texts_url}/attendance/new")
    assert heading(page) == t("Recording my attendance")
    text_fi = page.get_by_label(t("Text in Finnish"), exact=True)
    assert text_fi.input_value() == ATTENDANCE_TEXT_FI
    check_page(page)

    text_fi.fill("")
    page.get_by_role("button", name=t("Preview"), exact=True).click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_role("alert").inner_text().strip() == t("Please check the marked fields.")
    text_fi = page.get_by_label(t("Text in Finnish"), exact=True)
    assert text_fi.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{text_fi.get_attribute('aria-describedby')}").inner_text() == t(
        "Write the text.")
    assert page.get_by_label(t("Text in Swedish"), exact=True).get_attribute(
        "aria-invalid") is None
    check_page(page)

    # The preview: the new text and what changed, said in words, and nothing published yet.
    new_fi = ATTENDANCE_TEXT_FI.replace("Kuka näkee: vain ryhmäsi ohjaajat.",
                                        "Kuka näkee: vain oman ryhmäsi ohjaajat.")
    text_fi.fill(new_fi)
    page.get_by_label(t("This is a small change (typos, clearer words)"), exact=True).check()
    page.get_by_role("button", name=t("Preview"), exact=True).click()
    page.get_by_role("heading", name=t("Check the new version"), level=1).wait_for()
    finnish = page.get_by_role("region", name="suomi", exact=True)
    assert finnish.locator("ins").text_content() == t("Added: ") + "oman"  # said, not coloured
    assert finnish.locator("del").count() == 0
    assert page.get_by_role("region", name="svenska", exact=True).inner_text().count(
        t("No changes in this language.")) == 1
    assert squeeze(finnish.locator(".consent-text").last.inner_text()) == squeeze(new_fi)
    check_page(page)
    with app.app_context():
        assert db.session.scalar(select(func.count(ConsentText.id)).where(
            ConsentText.purpose == Purpose.ATTENDANCE, ConsentText.area_id == area.id)) == 1

    # Back to editing keeps what was typed; then preview again and publish.
    page.get_by_role("button", name=t("Back to editing"), exact=True).click()
    page.wait_for_url(f"**{texts_url}/attendance/new")
    assert page.get_by_label(t("Text in Finnish"), exact=True).input_value() == new_fi
    assert page.get_by_label(t("This is a small change (typos, clearer words)"),
                             exact=True).is_checked()
    check_page(page)
    page.get_by_role("button", name=t("Preview"), exact=True).click()
    page.get_by_role("button", name=t("Publish this version"), exact=True).click()
    page.wait_for_url(f"**{texts_url}")
    assert flashes(page) == [t("The new version is published.")]
    attendance = page.get_by_role("region", name=t("Recording my attendance"), exact=True)
    assert "vain oman ryhmäsi ohjaajat" in attendance.locator(".consent-text").inner_text()
    check_page(page)
    with app.app_context():
        latest = consent.current_text(Purpose.ATTENDANCE, area.id)
        assert (latest.version, latest.minor, latest.published_by_id) == (2, True, admin.id)
        assert latest.text_fi == new_fi  # line breaks as typed, one kind of them
        assert consent.current_text(Purpose.ATTENDANCE, None).version == 1  # the default
    page.goto(f"/admin/areas/{area.id}/audit?action=consent_text.")
    assert [squeeze(row) for row in page.locator(
        "table.data-table tbody tr td:nth-child(2)").all_inner_texts()] == [
        t("%(who)s published a consent text", who=admin.display_name) + " (attendance)"]


# --- 5. Dietary needs: totals for staff, never names ------------------------------------------


def test_dietary_needs_reach_the_worker_as_totals_without_names(page, phone, t, app,
                                                               group_now):
    worker, aino, meeting = group_now["worker"], group_now["aino"], group_now["meeting"]
    sign_in(page, t, aino)
    page.goto("/account/consents")
    assert page.get_by_label(t("Vegan"), exact=True).count() == 0  # nothing kept before a yes
    say(page, t, "Keeping my dietary needs", "Yes", "dietary")
    diet = page.locator("#dietary")
    assert diet.get_by_role("group", name=t("My diet"), exact=True).is_visible()
    check_page(page)
    diet.get_by_label(t("Vegan"), exact=True).check()
    diet.get_by_role("button", name=t("Save my diet"), exact=True).click()
    page.wait_for_url("**/account/consents#dietary")
    assert flashes(page) == [t("Saved.")]
    assert page.locator("#dietary").get_by_label(t("Vegan"), exact=True).is_checked()
    assert not page.locator("#dietary").get_by_label(t("Vegetarian"), exact=True).is_checked()
    check_page(page)

    staff = phone()
    sign_in(staff, t, worker)
    staff.goto(f"/meetings/{meeting.id}")
    plan = staff.get_by_role("region", name=t("What we do and eat"), exact=True)
    diets = plan.locator(".hint").inner_text()
    assert diets.startswith(t("Diets of those signed up:"))
    assert f"1 × {t('Vegan').lower()}" in diets
    assert "Aino" not in plan.inner_text()
    check_page(staff)

    with app.app_context():
        assert db.session.get(DietaryNeeds, aino.id).needs == "vegan"
