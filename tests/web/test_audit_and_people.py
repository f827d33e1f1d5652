"""The audit log in plain words, filtered by a name, paged and downloaded; the admin's people
list searched and paged. Who may read them: the area's admins and the service owner."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests import factories
from tests.web.test_exports import signed_in


@pytest.fixture
def trail(app):
    """Olli (a worker) opened the register of 8 December 2026; Maija looked at the members."""
    with app.app_context():
        area = factories.make_area(name="Päijät-Häme")
        admin = factories.make_user(Role.ADMIN, area=area, display_name="Aino Admin")
        olli = factories.make_user(Role.WORKER, area=area, display_name="Olli Ohjaaja")
        maija = factories.make_user(Role.WORKER, area=area, display_name="Maija Mäki")
        youth = factories.make_user(Role.YOUTH, area=area, display_name="Nuori Nieminen")
        group = factories.make_group(area, facilitators=[olli], members=[youth])
        meeting = factories.make_meeting(group, starts_at=datetime(2026, 12, 8, 15, tzinfo=UTC))
        db.session.add_all([
            AuditEvent(actor_id=olli.id, area_id=area.id, action="register.viewed",
                       subject_user_id=youth.id, object_type="meeting", object_id=meeting.id,
                       occurred_at=datetime(2026, 12, 8, 14, 30, tzinfo=UTC)),
            AuditEvent(actor_id=maija.id, area_id=area.id, action="group_members.viewed",
                       subject_user_id=youth.id, object_type="group", object_id=group.id,
                       occurred_at=datetime(2026, 12, 9, 9, 0, tzinfo=UTC))])
        people = {role: factories.make_user(role, area=area)
                  for role in (Role.COORDINATOR, Role.EXPERT, Role.YOUTH)}
        other_admin = factories.make_user(Role.ADMIN)
        owner = factories.make_user(Role.ADMIN, area=None, is_superuser=True)
        db.session.commit()
        return {"area": area.id, "admin": admin, "olli": olli, "youth": youth,
                "coordinator": people[Role.COORDINATOR], "expert": people[Role.EXPERT],
                "young": people[Role.YOUTH], "worker": maija, "other_admin": other_admin,
                "owner": owner}


@pytest.mark.parametrize(("language", "sentence"), [
    ("en", "Olli Ohjaaja looked at the register of December 8, 2026"),
    ("fi", "Olli Ohjaaja katsoi 8. joulukuuta 2026 tapaamisen läsnäololistan"),
    ("sv", "Olli Ohjaaja tittade på närvarolistan för träffen den 8 december 2026"),
])
def test_the_audit_log_says_what_happened_in_plain_words(app, trail, language, sentence):
    client = signed_in(app, trail["admin"], language)
    page = client.get(f"/admin/areas/{trail['area']}/audit").get_data(as_text=True)
    rows = page.split("<tbody>")[1]
    assert sentence in rows
    assert "register.viewed" not in rows  # the internal code is not what people read


def test_the_audit_log_is_filtered_by_part_of_a_name(app, trail):
    client = signed_in(app, trail["admin"])
    page = client.get(f"/admin/areas/{trail['area']}/audit?person=olli").get_data(as_text=True)
    assert "Olli Ohjaaja looked at the register" in page
    assert "Maija Mäki" not in page
    about = client.get(f"/admin/areas/{trail['area']}/audit?person=Nieminen").get_data(
        as_text=True)
    assert "Olli Ohjaaja" in about and "Maija Mäki" in about  # events about her too
    none = client.get(f"/admin/areas/{trail['area']}/audit?person=50%25").get_data(as_text=True)
    assert "Nothing found." in none  # a % is a letter, not a wildcard


def test_the_filtered_audit_log_downloads_as_csv_and_the_download_is_audited(app, trail):
    client = signed_in(app, trail["admin"], "fi")
    answer = client.get(f"/admin/areas/{trail['area']}/audit.csv?person=olli")
    assert answer.status_code == 200 and answer.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Milloin", "Mitä tapahtui", "Kenen tiedot"]
    assert len(rows) == 2 and "läsnäololistan" in rows[1][1] and rows[1][2] == "Nuori Nieminen"
    with app.app_context():
        exported = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "audit.exported")).all()
    assert [(e.actor_id, e.subject_user_id) for e in exported] == [
        (trail["admin"].id, trail["youth"].id)]  # she can see that her name left in a file


@pytest.mark.parametrize("query", ["?from=0001-01-01", "?to=9999-12-31", "?from=2026-02-30",
                                   "?page=99999999999999999999999", "?page=-5", "?page=x"])
def test_out_of_range_filters_get_a_message_never_a_500(app, trail, query):
    client = signed_in(app, trail["admin"])
    for path in ("audit", "audit.csv"):
        answer = client.get(f"/admin/areas/{trail['area']}/{path}{query}")
        assert answer.status_code == 200, (path, query)
    page = client.get(f"/admin/areas/{trail['area']}/audit{query}").get_data(as_text=True)
    if "from" in query or "to" in query:
        assert "Write the date as year-month-day, like 2026-03-31." in page


@pytest.mark.parametrize(("who", "status"), [
    ("admin", 200), ("owner", 200), ("other_admin", 403), ("coordinator", 403),
    ("worker", 403), ("expert", 403), ("young", 403)])
def test_only_the_areas_admins_and_the_service_owner_read_the_trail(app, trail, who, status):
    client = signed_in(app, trail[who])
    for path in ("audit", "audit.csv", ""):
        assert client.get(f"/admin/areas/{trail['area']}/{path}".rstrip("/")).status_code \
            == status, path


# The people list.

@pytest.fixture
def crowd(app, trail):
    """55 more young people, to need a second page."""
    with app.app_context():
        area = db.session.get(factories.Area, trail["area"])
        for n in range(55):
            factories.make_user(Role.YOUTH, area=area, display_name=f"Joukko {n:02d}",
                                username=f"joukko{n:02d}", email=f"joukko{n:02d}@example.com")
        db.session.commit()
    return trail


def test_the_people_list_searches_by_name_username_or_email(app, crowd):
    client = signed_in(app, crowd["admin"])
    base = f"/admin/areas/{crowd['area']}"
    by_name = client.get(f"{base}?q=nieminen").get_data(as_text=True)
    assert "Nuori Nieminen" in by_name and "Olli Ohjaaja" not in by_name
    by_username = client.get(f"{base}?q=joukko07").get_data(as_text=True)
    assert "Joukko 07" in by_username and "Joukko 08" not in by_username
    by_email = client.get(f"{base}?q=joukko09@example").get_data(as_text=True)
    assert "Joukko 09" in by_email and "Joukko 07" not in by_email
    nobody = client.get(f"{base}?q=zzzz").get_data(as_text=True)
    assert "Nobody matches the search." in nobody
    workers = client.get(f"{base}?role=worker").get_data(as_text=True)
    assert "Olli Ohjaaja" in workers and "Nuori Nieminen" not in workers
    long = client.get(f"{base}?q={'x' * 81}&role=nonsense")
    assert long.status_code == 200 and "Write at most 80 letters." in long.get_data(as_text=True)


def test_the_people_list_pages_and_keeps_the_search(app, crowd):
    client = signed_in(app, crowd["admin"])
    base = f"/admin/areas/{crowd['area']}"
    first = client.get(f"{base}?q=joukko").get_data(as_text=True)
    assert first.count("Joukko ") == 50 and "Joukko 49" in first and "Joukko 50" not in first
    assert f'rel="next" href="{base}?q=joukko&amp;page=2#people"' in first
    second = client.get(f"{base}?q=joukko&page=2").get_data(as_text=True)
    assert second.count("Joukko ") == 5 and "Joukko 54" in second and 'rel="prev"' in second
    assert client.get(f"{base}?page=99999999999999999999").status_code == 200
    with app.app_context():
        looked_at = db.session.scalars(select(AuditEvent.subject_user_id).where(
            AuditEvent.action == "user_list.viewed",
            AuditEvent.actor_id == crowd["admin"].id,
            AuditEvent.subject_user_id.is_not(None))).all()
    assert len(looked_at) == 55  # one event for each young person shown, on either page


def test_a_submitted_filter_with_empty_dates_is_no_mistake(app, trail):
    client = signed_in(app, trail["admin"])
    page = client.get(f"/admin/areas/{trail['area']}/audit?from=&to=&action=&person=olli")
    text = page.get_data(as_text=True)
    assert "Write the date as" not in text and "Olli Ohjaaja looked at the register" in text


def test_sign_ins_and_their_details_are_in_words(app, trail):
    with app.app_context():
        db.session.add_all([
            AuditEvent(actor_id=trail["olli"].id, area_id=trail["area"], action="auth.signed_in",
                       subject_user_id=trail["olli"].id, detail="password"),
            AuditEvent(area_id=trail["area"], action="auth.sign_in_failed",
                       subject_user_id=trail["olli"].id)])
        db.session.commit()
    page = signed_in(app, trail["admin"], "fi").get(
        f"/admin/areas/{trail['area']}/audit").get_data(as_text=True)
    assert "Olli Ohjaaja kirjautui sisään (salasanalla)" in page
    assert "Väärä salasana kirjautumisessa" in page and "auth." not in page.split("<tbody>")[1]


def test_the_kind_of_event_is_chosen_in_words(app, trail):
    client = signed_in(app, trail["admin"], "fi")
    page = client.get(f"/admin/areas/{trail['area']}/audit?action=register.").get_data(
        as_text=True)
    assert '<option selected value="register.">Avatut läsnäololistat</option>' in page
    rows = page.split("<tbody>")[1]
    assert "läsnäololistan" in rows and "jäsenlistaa" not in rows
