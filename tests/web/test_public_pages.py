"""The pages a Finnish public service must have: /accessibility, /privacy, /help.

Everyone may read them; the privacy notice is the reader's area's (a signed-in person's own,
or the one chosen or come from on an invitation); how long data is kept is read from the live
configuration; the area's own words are written by its admin only, and audited.
"""

import re

import pytest
from sqlalchemy import select

from peer_groups.areas.models import Area
from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect

PAGES = ("/accessibility", "/privacy", "/help")
STAFF = (Role.WORKER, Role.EXPERT, Role.COORDINATOR, Role.ADMIN)


def text(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def area(make):
    return make.area(name="Päijät-Häme", controller="Päijät-Hämeen hyvinvointialue",
                     protection_officer="Tietosuojavastaava, tietosuoja@example.fi",
                     contact="Jälkihuollon neuvonta, 044 123 4567", youth_upper_age=25)


def test_anyone_reads_the_three_pages_and_finds_them_in_the_footer(client, make):
    make.area(name="Kanta-Häme")
    front = text(client.get("/"))
    for path in PAGES:
        assert f'href="{path}"' in front
        response = client.get(path)
        assert response.status_code == 200
        # Not knowing the visitor's area, the page lets them choose it.
        assert "Choose your area" in text(response) and "Kanta-Häme" in text(response)


def test_the_accessibility_statement_says_what_the_law_asks(client, area):
    page = text(client.get(f"/accessibility?area={area.id}"))
    assert "partially meets the requirements of WCAG 2.1 level AA" in page
    assert "SVG" in page and "table" in page  # a known shortcoming, said honestly
    assert "axe-core" in page and "360 pixels" in page  # how it was assessed
    assert "Finnish Transport and Communications Agency Traficom" in page
    assert "saavutettavuus@traficom.fi" in page and "www.saavutettavuusvaatimukset.fi" in page
    assert "December 1, 2026" in page  # the statement's date
    assert "Jälkihuollon neuvonta, 044 123 4567" in page  # where feedback goes


def test_an_anonymous_visitor_sees_the_area_they_chose(client, area, make):
    make.area(name="Other", controller="Muu hyvinvointialue")
    page = text(client.get(f"/privacy?area={area.id}"))
    assert "Päijät-Hämeen hyvinvointialue" in page and "tietosuoja@example.fi" in page
    assert "Muu hyvinvointialue" not in page and "Choose your area" not in page
    assert client.get("/privacy?area=99999999999999999999").status_code == 200  # never a 500


def test_the_join_form_links_the_privacy_notice_of_the_invitations_area(client, area, make):
    invitation = make.invitation(make.group(area))
    page = text(client.get(f"/join/{invitation.token}"))
    assert f'href="/privacy?area={area.id}"' in page  # beside the form, and in the footer
    assert f'href="/accessibility?area={area.id}"' in page
    assert "Päijät-Hämeen hyvinvointialue" in text(client.get(f"/privacy?area={area.id}"))


@pytest.mark.parametrize("role", [Role.YOUTH, *STAFF])
def test_a_signed_in_person_sees_their_own_areas_notice(client, area, make, role):
    other = make.area(name="Other", controller="Muu hyvinvointialue")
    sign_in(client, make.user(role, area=area))
    page = text(client.get(f"/privacy?area={other.id}"))  # their own area, whatever is asked
    assert "Päijät-Hämeen hyvinvointialue" in page and "Muu hyvinvointialue" not in page
    assert "until you turn 25" in page  # the area's upper age
    links = ('href="/account/data"', 'href="/account/erase"', 'href="/account/consents"',
             'href="/account/data.json"', 'href="/account/contact"')
    if role is Role.YOUTH:  # the rights, each a link to where it is used
        assert all(link in page for link in links)
    else:  # staff have no My data pages (they answer 404): told in words instead
        assert not any(link in page for link in links[:4])
        assert "Young people use these rights in the app" in page
    assert "Jälkihuollon neuvonta" in text(client.get("/help"))


def test_the_purposes_have_their_legal_basis(client, area):
    page = text(client.get(f"/privacy?area={area.id}"))
    assert "Planning and running the groups" in page
    assert "a task in the public interest" in page
    for purpose in ("Attendance records", "Reminders", "Dietary needs"):
        assert purpose in page
    assert page.count("Basis: your consent") == 2 and "Basis: your explicit consent" in page


def test_how_long_follows_the_live_configuration(app, client, area):
    def notice():
        return text(client.get(f"/privacy?area={area.id}"))

    page = notice()
    assert "Sign-ups and attendance: 24 months after the meeting" in page
    assert "for 180 days" in page and "remove your account 90 days after that" in page
    assert "for 12 months, we tell you" in page and "remove it 30 days later" in page
    assert "goes after 90 days" in page and "Notices in the app: 180 days" in page
    app.config.update(RETENTION_MONTHS=36, DIETARY_IDLE_DAYS=99, AFTERCARE_GRACE_DAYS=61,
                      OUTBOX_RETENTION_DAYS=7, NOTICE_RETENTION_DAYS=45,
                      INACTIVE_ACCOUNT_MONTHS=18, ACCOUNT_REMOVAL_NOTICE_DAYS=21)
    page = notice()
    assert "Sign-ups and attendance: 36 months after the meeting" in page
    assert "for 99 days" in page and "remove your account 61 days after that" in page
    assert "for 18 months, we tell you" in page and "remove it 21 days later" in page
    assert "goes after 7 days" in page and "Notices in the app: 45 days" in page
    with app.app_context():
        db.session.get(Area, area.id).youth_upper_age = 23
        db.session.commit()
    assert "until you turn 23" in notice()


def test_the_pages_speak_finnish_and_swedish(client, area):
    fi = text(client.get(f"/privacy?area={area.id}", headers={"Accept-Language": "fi"}))
    assert "Tietosuojaseloste" in fi and "24 kuukautta" in fi
    sv = text(client.get("/accessibility", headers={"Accept-Language": "sv"}))
    assert "Tillgänglighetsutlåtande" in sv and "Transport- och kommunikationsverket Traficom" in sv
    assert "Hjälp och kontakt" in text(client.get("/help", headers={"Accept-Language": "sv"}))


def test_the_admin_writes_the_areas_own_words_and_the_pages_show_them(app, client, area, make):
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    assert client.get(f"/admin/areas/{area.id}/public-pages").status_code == 200
    response = post(client, f"/admin/areas/{area.id}/public-pages", {
        "controller": "Päijät-Hämeen hyvinvointikuntayhtymä",
        "protection_officer": "Tietosuojavastaava Maija, dpo@phhyky.example",
        "contact": "Nuorten jälkihuolto, nuoret@phhyky.example",
        "pages_note": "Ryhmät kokoontuvat Lahdessa."})
    assert_redirect(response, f"/admin/areas/{area.id}")
    client = app.test_client()  # anyone, not signed in
    page = text(client.get(f"/privacy?area={area.id}"))
    assert "Päijät-Hämeen hyvinvointikuntayhtymä" in page and "dpo@phhyky.example" in page
    assert "Ryhmät kokoontuvat Lahdessa." in page
    assert "nuoret@phhyky.example" in text(client.get(f"/accessibility?area={area.id}"))
    assert "nuoret@phhyky.example" in text(client.get(f"/help?area={area.id}"))
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "area.public_pages_updated")).one()
        assert (event.actor_id, event.area_id) == (admin.id, area.id)
        assert event.detail == "controller,dpo,contact,note"


def test_too_long_words_are_refused_and_kept_on_the_form(app, client, area, make):
    sign_in(client, make.user(Role.ADMIN, area=area))
    response = post(client, f"/admin/areas/{area.id}/public-pages",
                    {"controller": "X" * 201, "contact": "kept words"})
    assert response.status_code == 200
    assert "at most 200 characters" in text(response) and "kept words" in text(response)
    with app.app_context():
        assert db.session.get(Area, area.id).controller == "Päijät-Hämeen hyvinvointialue"


@pytest.mark.parametrize("role", [Role.YOUTH, Role.WORKER, Role.EXPERT, Role.COORDINATOR])
def test_nobody_but_the_areas_admin_edits_its_words(app, client, area, make, role):
    sign_in(client, make.user(role, area=area))
    assert client.get(f"/admin/areas/{area.id}/public-pages").status_code == 403
    response = post(client, f"/admin/areas/{area.id}/public-pages", {"controller": "Hacked"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Area, area.id).controller == "Päijät-Hämeen hyvinvointialue"


def test_another_areas_admin_cannot_edit_them(app, client, area, make):
    sign_in(client, make.user(Role.ADMIN, area=make.area(name="Elsewhere")))
    assert client.get(f"/admin/areas/{area.id}/public-pages").status_code == 403
    response = post(client, f"/admin/areas/{area.id}/public-pages", {"controller": "Hacked"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Area, area.id).controller == "Päijät-Hämeen hyvinvointialue"
        assert not db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "area.public_pages_updated")).all()
