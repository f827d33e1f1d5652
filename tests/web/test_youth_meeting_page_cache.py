"""A young person's meeting page is rendered once per meeting version and language and shared
by the group's members (#18): it still shows every change at once, in each reader's language,
names nobody, and staff still get their own page.

Each change below is made over HTTP by the people who make it, after a member has read the
page (so that what they read is kept), and the page is read again.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.meetings.models import PlanItem
from tests import factories
from tests.conftest import csrf_token, post, sign_in
from tests.helpers import statements_of

PLACES_LEFT = {"en": "Places left", "fi": "Paikkoja jäljellä", "sv": "Platser kvar"}
PLAN = {"en": "What we do and eat", "fi": "Mitä tehdään ja syödään", "sv": "Vad vi gör och äter"}
CANCELLED = {"en": "This meeting is cancelled.", "fi": "Tämä tapaaminen on peruttu.",
             "sv": "Den här träffen är inställd."}
TAKES_CARE = {"en": "Takes care of it:", "fi": "Hoitaa:", "sv": "Tar hand om det:"}
SIX_FIFTEEN = {"en": "6:15", "fi": "18.15", "sv": "18:15"}
YOU = {"en": "you", "fi": "sinä", "sv": "du"}
A_YOUNG_PERSON = {"en": "a young person", "fi": "yksi nuorista", "sv": "en av de unga"}


class Crew:
    def __init__(self, app, make):
        self.app = app
        area = make.area()
        self.worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja")
        self.expert = make.user(Role.EXPERT, area=area, display_name="Kalle Kokemus")
        self.youth = {language: make.user(Role.YOUTH, area=area, language=language,
                                          display_name=f"Nuori{language.upper()} Sukunimi")
                      for language in ("en", "fi", "sv")}
        self.other = make.user(Role.YOUTH, area=area, display_name="Toinen Nuori")
        self.third = make.user(Role.YOUTH, area=area, display_name="Kolmas Nuori")
        self.group = make.group(area, facilitators=[self.worker, self.expert],
                                members=[*self.youth.values(), self.other, self.third],
                                name="Iltaryhmä")
        self.meeting = make.meeting(
            self.group, capacity=2, venue_name="Kulma",
            starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=9))
        self.item = make.plan_item(self.meeting, kind="snack", title="Pizza", position=1)
        self.clients = {}

    def client(self, person):
        if person.id not in self.clients:
            client = self.app.test_client()
            sign_in(client, person)
            self.clients[person.id] = client
        return self.clients[person.id]

    def page(self, person) -> str:
        response = self.client(person).get(f"/meetings/{self.meeting.id}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def as_worker(self, path, data=None):
        response = post(self.client(self.worker), path, data)
        assert response.status_code in (302, 303), (path, response.status_code)


@pytest.fixture
def crew(app, make):
    return Crew(app, make)


PLACES = re.compile(r"<dd>(\d+) / (\d+)(?: · (\d+) )?")
LANGUAGES = pytest.mark.parametrize("language", ["en", "fi", "sv"])


def places(page) -> tuple[int, int, int]:
    """(places left, capacity, on the waiting list) as the page's facts say them."""
    left, capacity, waiting = PLACES.search(page).groups()
    return int(left), int(capacity), int(waiting or 0)


def test_a_second_member_reads_the_kept_page_without_loading_the_plan(app, crew):
    crew.page(crew.youth["en"])
    seen = statements_of(app, crew.client(crew.other), f"/meetings/{crew.meeting.id}")
    assert not [s for s in seen if "plan_items.title" in s]
    assert "Pizza" in crew.page(crew.other)


def test_the_kept_part_holds_nothing_of_any_person(app, crew, make):
    make.plan_item(crew.meeting, title="Kakku", responsible_id=crew.other.id)
    for person in (crew.other, *crew.youth.values()):
        crew.page(person)
    kept = app.extensions["youth_meeting_pages"].entries
    assert len(kept) == 3  # one per language
    text = "".join(str(part) for _, page in kept.values() for part in (page.title, *page.parts))
    assert "Kakku" in text and "Pizza" in text
    for person in (*crew.youth.values(), crew.other, crew.third, crew.worker):
        assert person.display_name.split(" ")[0] not in text
    for client in crew.clients.values():
        assert csrf_token(client) not in text
    for language in ("en", "fi", "sv"):
        assert TAKES_CARE[language] not in text  # who takes care of it: per reader


@LANGUAGES
def test_each_reader_gets_the_page_in_their_own_language(crew, language):
    for first in ("en", "fi", "sv"):  # the others' languages kept first
        if first != language:
            crew.page(crew.youth[first])
    page = crew.page(crew.youth[language])
    assert PLACES_LEFT[language] in page and PLAN[language] in page
    for other in {"en", "fi", "sv"} - {language}:
        assert PLACES_LEFT[other] not in page and PLAN[other] not in page


@LANGUAGES
def test_plan_items_added_edited_moved_copied_and_removed_show_at_once(app, crew, make,
                                                                        language):
    reader, meeting_id = crew.youth[language], crew.meeting.id
    assert "Pizza" in crew.page(reader)
    crew.as_worker(f"/meetings/{meeting_id}/plan", {
        "kind": "activity", "title": "Keilaus", "details": "Hohtokeilausta", "materials": "",
        "cost_euros": "", "responsible_id": "0"})
    page = crew.page(reader)
    assert "Keilaus" in page and "Hohtokeilausta" in page
    assert page.index("Pizza") < page.index("Keilaus")

    with app.app_context():
        keilaus = db.session.scalar(select(PlanItem.id).where(PlanItem.title == "Keilaus"))
    crew.as_worker(f"/meetings/{meeting_id}/plan/{keilaus}/move", {"direction": "up"})
    page = crew.page(reader)
    assert page.index("Keilaus") < page.index("Pizza")

    crew.as_worker(f"/meetings/{meeting_id}/plan/{crew.item.id}", {
        "kind": "snack", "title": "Tacot", "details": "", "materials": "Tortillat",
        "cost_euros": "", "responsible_id": "0"})
    page = crew.page(reader)
    assert "Tacot" in page and "Tortillat" in page and "Pizza" not in page

    crew.as_worker(f"/meetings/{meeting_id}/plan/{keilaus}/remove")
    page = crew.page(reader)
    assert "Keilaus" not in page and "Tacot" in page

    earlier = make.meeting(crew.group, starts_at=datetime.now(UTC) - timedelta(days=20))
    make.plan_item(earlier, title="Lautapelit")
    crew.as_worker(f"/meetings/{meeting_id}/plan/copy", {"source_id": str(earlier.id)})
    assert "Lautapelit" in crew.page(reader)


@LANGUAGES
def test_a_new_time_or_place_shows_at_once(crew, language):
    reader, meeting = crew.youth[language], crew.meeting
    assert "Kulma" in crew.page(reader)
    local = meeting.starts_at.astimezone(HELSINKI) + timedelta(days=1)
    crew.as_worker(f"/meetings/{meeting.id}/edit", {
        "day": local.date().isoformat(), "starts": "18:15", "ends": "20:45", "capacity": "2",
        "venue_name": "Nuorisotalo", "venue_address": "Torikatu 3",
        "venue_accessibility": "Hissi"})
    page = crew.page(reader)
    assert "Nuorisotalo" in page and "Torikatu 3" in page and "Hissi" in page
    assert "Kulma" not in page and SIX_FIFTEEN[language] in page


@LANGUAGES
def test_cancelling_and_restoring_show_at_once(crew, language):
    reader, meeting_id = crew.youth[language], crew.meeting.id
    assert CANCELLED[language] not in crew.page(reader)
    crew.as_worker(f"/meetings/{meeting_id}/call-off", {"reason": "Sairastuminen"})
    page = crew.page(reader)
    assert CANCELLED[language] in page and "Sairastuminen" in page
    crew.as_worker(f"/meetings/{meeting_id}/restore")
    page = crew.page(reader)
    assert CANCELLED[language] not in page and PLACES_LEFT[language] in page


@LANGUAGES
def test_places_taken_and_freed_and_the_waiting_list_show_at_once(crew, language):
    reader, meeting_id = crew.youth[language], crew.meeting.id
    assert places(crew.page(reader)) == (2, 2, 0)
    assert post(crew.client(crew.other), f"/meetings/{meeting_id}/signup").status_code == 302
    assert places(crew.page(reader)) == (1, 2, 0)
    post(crew.client(crew.third), f"/meetings/{meeting_id}/signup")
    assert places(crew.page(reader)) == (0, 2, 0)
    joiner = next(p for code, p in crew.youth.items() if code != language)
    post(crew.client(joiner), f"/meetings/{meeting_id}/signup")  # the waiting list
    assert places(crew.page(reader)) == (0, 2, 1)
    post(crew.client(crew.other), f"/meetings/{meeting_id}/cancel")  # the first waiting moves up
    assert places(crew.page(reader)) == (0, 2, 0)
    post(crew.client(crew.third), f"/meetings/{meeting_id}/cancel")
    assert places(crew.page(reader)) == (1, 2, 0)


@LANGUAGES
def test_the_young_person_in_charge_reads_you_and_the_others_a_young_person(app, crew, make,
                                                                             language):
    make.plan_item(crew.meeting, title="Kakku", responsible_id=crew.youth[language].id)
    make.plan_item(crew.meeting, title="Mehu", responsible_id=crew.worker.id)
    other = crew.page(crew.other)  # kept first by someone else
    mine = crew.page(crew.youth[language])
    assert f"{TAKES_CARE[language]} {YOU[language]}</p>" in mine
    assert f"{TAKES_CARE[language]} Olli</p>" in mine  # a worker: the first name
    assert f"{TAKES_CARE['en']} {A_YOUNG_PERSON['en']}</p>" in other
    assert f"{TAKES_CARE['en']} {YOU['en']}</p>" not in other
    assert f"{TAKES_CARE['en']} {YOU['en']}</p>" not in crew.page(crew.other)  # still not
    for page in (mine, other):
        assert crew.youth[language].display_name not in page and "Ohjaaja" not in page


def test_a_new_person_in_charge_shows_at_once(crew):
    reader = crew.other
    assert "Takes care of it:" not in crew.page(reader)
    crew.as_worker(f"/meetings/{crew.meeting.id}/plan/{crew.item.id}", {
        "kind": "snack", "title": "Pizza", "details": "", "materials": "", "cost_euros": "",
        "responsible_id": str(reader.id)})
    assert "Takes care of it: you</p>" in crew.page(reader)
    assert "Takes care of it: a young person</p>" in crew.page(crew.third)


def test_staff_reading_after_members_still_get_their_own_page(app, crew, make):
    make.plan_item(crew.meeting, title="Kakku", responsible_id=crew.other.id, cost_cents=1200)
    for person in (crew.other, *crew.youth.values()):
        crew.page(person)
    worker = crew.page(crew.worker)
    assert "Attendance register" in worker and "Add to the plan" in worker
    assert "Change time or place" in worker and "12.00" in worker
    assert "Takes care of it: Toinen Nuori</p>" in worker
    expert = crew.page(crew.expert)
    assert "Add to the plan" in expert and "Toinen" not in expert
    assert "Takes care of it: a young person</p>" in expert
    member = crew.page(crew.other)
    assert "Add to the plan" not in member and "12.00" not in member
    assert "Attendance register" not in member and "Change time or place" not in member


def test_an_erased_young_person_in_charge_and_their_place_leave_the_page_at_once(crew, make):
    leaving = crew.other
    make.plan_item(crew.meeting, title="Kakku", responsible_id=leaving.id)
    post(crew.client(leaving), f"/meetings/{crew.meeting.id}/signup")
    page = crew.page(crew.third)
    assert "Takes care of it: a young person</p>" in page and places(page) == (1, 2, 0)
    erased = post(crew.client(leaving), "/account/erase", {"password": factories.PASSWORD})
    assert erased.headers["Location"] == "/"
    page = crew.page(crew.third)
    assert "Kakku" in page and "Takes care of it:" not in page and places(page) == (2, 2, 0)


def test_each_on_the_waiting_list_reads_their_own_place_in_it(crew):
    meeting_id = crew.meeting.id
    for person in (crew.other, crew.third, crew.youth["sv"], crew.youth["fi"]):
        post(crew.client(person), f"/meetings/{meeting_id}/signup")
    assert "Du är nummer 1 på kölistan." in crew.page(crew.youth["sv"])
    assert "Olet jonotuslistalla sijalla 2." in crew.page(crew.youth["fi"])
    mine = crew.page(crew.other)
    assert "You have a place. See you there!" in mine and places(mine) == (0, 2, 2)
    assert "Sign me up" not in mine and "Cancel my place" in mine
    post(crew.client(crew.other), f"/meetings/{meeting_id}/cancel")
    assert "Olet jonotuslistalla sijalla 1." in crew.page(crew.youth["fi"])
    assert "Full: join the waiting list" in crew.page(crew.youth["en"])
