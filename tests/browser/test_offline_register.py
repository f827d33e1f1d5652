"""The register in a basement: taps with no connection, kept on the phone, sent once.

Real Chromium with its service worker; `context.set_offline(True)` cuts the network as a
basement does (the service worker still answers from its cache). The server's rows are read
from the database after each step. The HTTP details are in tests/web/test_register_taps.py.
"""

import json
import re
import time
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select

from peer_groups.assets import static_url
from peer_groups.attendance.models import Attendance, RegisterTap
from peer_groups.auth.models import AuthSession
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import Meeting
from peer_groups.offline import views as offline_views
from tests import factories
from tests.browser.conftest import (
    PHONE,
    TIMEOUT_MS,
    check_page,
    fill_sign_in,
    sign_in,
    type_code,
)

pytestmark = pytest.mark.browser

QUEUE = "peer-groups-register-queue"
WAITING = "%(count)s waiting to send"
CACHED_PATHS = """async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) {
      paths.push(new URL(request.url).pathname);
    }
  }
  return paths.sort();
}"""


def plural(app, singular, many, count, lang="fi"):
    with app.test_request_context(), force_locale(lang):
        return ngettext(singular, many, count, count=count)


def static_paths(app):
    with app.test_request_context():
        return [static_url(name) for name in offline_views.PRECACHED]


@pytest.fixture
def today(app, make):
    """A meeting starting now: its worker and three young people who said yes to names."""
    area = make.area(name="Pirkanmaa")
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja", language="fi")
    people = [make.user(Role.YOUTH, area=area, display_name=name, language="fi")
              for name in ("Aino Aalto", "Bea Berg", "Cai Carlsson")]
    group = make.group(area, facilitators=[worker], members=people, name="Tampereen torstait")
    meeting = make.meeting(group, starts_at=datetime.now(UTC).replace(microsecond=0))
    with app.app_context():
        for person in people:
            consent.answer(db.session.merge(person), Purpose.ATTENDANCE, True)
        db.session.commit()
    return {"worker": worker, "people": people, "meeting": meeting}


def rows(app, meeting):
    """What the server holds: named marks, the headcount, and the keys applied."""
    with app.app_context():
        marks = dict(db.session.execute(select(Attendance.user_id, Attendance.present)).all())
        keys = db.session.scalar(select(func.count(RegisterTap.id)))
        return marks, db.session.get(Meeting, meeting.id).headcount, keys


def open_register(page, meeting):
    page.goto(f"/meetings/{meeting.id}/register")
    # The service worker has a copy of this page: it will open with no connection.
    page.wait_for_selector("html[data-offline-ready=true]", state="attached")


def present(page, t, person):
    page.locator(f"#person-{person.id}").get_by_role(
        "button", name=re.compile(rf"^{re.escape(t('Present'))}\s*:")).click()


def one_more(page, t):
    page.get_by_role("button", name=t("One more"), exact=True).click()


def waiting(page):
    return page.locator("#sync .sync-waiting").inner_text().strip()


def queue(page):
    return page.evaluate(f"localStorage.getItem({json.dumps(QUEUE)})")


def wait_until_sent(page):
    """Until the phone's queue is empty (polled from here: the page's CSP forbids eval)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while queue(page) is not None:
        assert time.monotonic() < deadline, f"still waiting to send: {queue(page)}"
        page.wait_for_timeout(100)


def test_offline_taps_survive_a_reload_and_reach_the_server_once(page, t, app, today):
    worker, (aino, bea, cai), meeting = today["worker"], today["people"], today["meeting"]
    sign_in(page, t, worker)
    open_register(page, meeting)
    check_page(page)

    page.context.set_offline(True)
    for person in (aino, bea, cai):
        present(page, t, person)
    one_more(page, t)
    one_more(page, t)
    assert waiting(page) == plural(app, WAITING, WAITING, 5)
    assert page.locator(".register-total").inner_text() == t("Total: %(num)s", num=5)
    assert rows(app, meeting) == ({}, 0, 0)  # nothing reached the server

    # Reloading with no connection: the page comes from the phone, the taps still wait.
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == t("Attendance register")
    assert waiting(page) == plural(app, WAITING, WAITING, 5)
    assert page.locator(f"#person-{bea.id} .state").inner_text() == t("Present")
    assert page.locator("output[data-headcount]").inner_text() == "2"
    assert page.locator("#sync .sync-status").inner_text() == t(
        "No connection. Your taps are kept on this phone and sent when the connection returns.")
    sent = queue(page)

    # Meanwhile Cai takes back her consent to be named.
    with app.app_context():
        consent.answer(db.session.merge(cai), Purpose.ATTENDANCE, False)
        db.session.commit()

    page.context.set_offline(False)
    wait_until_sent(page)
    page.wait_for_selector(f"#sync .sync-status:text-is('{t('Everything is sent and saved.')}')")
    # Named once each; Cai counted in the headcount, not named; five keys, each applied once.
    assert rows(app, meeting) == ({aino.id: True, bea.id: True}, 3, 5)
    notice = page.locator("#sync .sync-notices li").inner_text()
    assert notice.startswith("Cai Carlsson: ") and t(
        "Their consent to recording attendance is not in force now, so they were counted in "
        "the headcount, not by name.") in notice
    assert page.locator(f"#person-{cai.id} .state").inner_text() == t(
        "No consent: count in the headcount")
    assert page.locator(".register-total").inner_text() == t("Total: %(num)s", num=5)
    check_page(page)  # axe, with the notice, at 360 px

    # The same queue sent twice more (a lost answer, a second tab): nothing changes.
    for _ in range(2):
        page.evaluate("([name, taps]) => localStorage.setItem(name, taps)", [QUEUE, sent])
        page.reload()
        wait_until_sent(page)
        assert rows(app, meeting) == ({aino.id: True, bea.id: True}, 3, 5)


def test_only_the_register_is_kept_and_a_new_version_deletes_the_old_copies(
        page, t, app, today, monkeypatch):
    sign_in(page, t, today["worker"])
    open_register(page, today["meeting"])
    # Other pages are never kept: only this register and the files it needs.
    for path in ("/home", f"/meetings/{today['meeting'].id}", "/account/data"):
        page.goto(path)
    assert page.evaluate(CACHED_PATHS) == sorted(
        [f"/meetings/{today['meeting'].id}/register"]
        + static_paths(app))
    (old,) = page.evaluate("caches.keys()")
    # A deployment changes the static files: the service worker's text, and its cache, change.
    monkeypatch.setattr(offline_views, "PRECACHED", offline_views.PRECACHED[:-1])
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while (names := page.evaluate("caches.keys()")) != [] and old in names:
        assert time.monotonic() < deadline, names
        page.wait_for_timeout(100)
    assert old not in names and all(name.startswith("register-") for name in names)


def test_signed_out_meanwhile_signs_in_again_and_nothing_is_lost(browser, live_server, t, app,
                                                                   today):
    worker, (aino, _, _), meeting = today["worker"], today["people"], today["meeting"]
    context = browser.new_context(base_url=live_server, **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, t, worker)
    open_register(page, meeting)

    page.context.set_offline(True)
    present(page, t, aino)
    one_more(page, t)
    # Signing out now would leave two taps unsent: the page warns first, and stays.
    page.get_by_role("navigation").get_by_role("button", name=t("Sign out")).click()
    assert page.locator("#sync .sync-status").inner_text() == plural(
        app, "%(count)s tap is not sent yet. If you sign out now, it stays on this phone and is "
        "sent when you sign in again. Tap “Sign out” again to sign out.",
        "%(count)s taps are not sent yet. If you sign out now, they stay on this phone and are "
        "sent when you sign in again. Tap “Sign out” again to sign out.", 2)
    assert page.url.endswith(f"/meetings/{meeting.id}/register")
    with app.app_context():  # the session times out while the phone has no connection
        db.session.execute(AuthSession.__table__.delete())
        db.session.commit()
    page.context.set_offline(False)

    again = page.get_by_role("link", name=t("Sign in again"), exact=True)
    again.wait_for()
    assert waiting(page) == plural(app, WAITING, WAITING, 2)
    assert rows(app, meeting) == ({}, 0, 0)
    again.click()
    page.wait_for_url("**/auth/sign-in?next=*")
    fill_sign_in(page, t, worker.email, factories.PASSWORD)
    page.wait_for_url("**/auth/two-factor**")
    type_code(page, t, worker.totp_secret, "fi")
    page.wait_for_url(f"**/meetings/{meeting.id}/register")
    wait_until_sent(page)
    assert rows(app, meeting) == ({aino.id: True}, 1, 2)

    # Signing out deletes the copy on the phone: no cache, no queue.
    assert page.evaluate("caches.keys()") != []
    page.get_by_role("navigation").get_by_role("button", name=t("Sign out")).click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.evaluate("caches.keys()") == []
    assert queue(page) is None
    assert page.evaluate("Object.keys(localStorage)") == []
    assert errors == []
    context.close()
