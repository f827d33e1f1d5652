"""Experience experts never see a young person's name, and nobody is shown a dead-end link.

On the demo data, each demo expert follows every same-site link they are shown (pages and the
CSV, JSON, ICS and XLSX files alike), and no young person's name, username, email or phone is
in any answer. The same crawler, as a worker, a coordinator, an admin, the service owner and a
young person, finds no link that ends in a 403 (or any other error) for the one shown it.
"""

import io
import re
import zipfile
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import func, select

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.demo.seed import DEMO_PASSWORD, seed
from peer_groups.domain.roles import Role
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem
from tests import nu
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect

DEMO_EXPERTS = ("kokemus.ph@example.fi", "kokemus.lu@example.fi")
PAGE_LIMIT = 2000  # far above what the demo data has; stops a crawl that never ends


class Links(HTMLParser):
    """Every `<a href>` on a page."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def same_site(href: str, base: str) -> str | None:
    """The link as a path (with its query) if it stays on this site, else None."""
    href = urldefrag(href).url
    parts = urlsplit(href)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
        return None
    if not parts.path:
        return None  # a link to a place on the same page
    path = parts.path if parts.path.startswith("/") else base.rsplit("/", 1)[0] + "/" + parts.path
    return path + (f"?{parts.query}" if parts.query else "")


def readable_text(response) -> str:
    """What a person would read in the answer: HTML, CSV, JSON or ICS text, or the sheets
    inside an XLSX file."""
    body = response.get_data()
    if body[:2] == b"PK":  # an XLSX workbook is a zip of XML files
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "\n".join(book.read(name).decode() for name in book.namelist())
    return body.decode()


def crawl(client, start=("/home",)):
    """Follow every same-site GET link from `start`; {path: (status, text)} for each."""
    seen, queue, answers = set(start), list(start), {}
    while queue and len(answers) < PAGE_LIMIT:
        path = queue.pop(0)
        if path.startswith("/static/"):
            continue
        response = client.get(path)
        text = readable_text(response)
        answers[path] = (response.status_code, text)
        targets = []
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response.location]
        elif response.mimetype == "text/html":
            nu.keep(path, response.get_data())  # checked at the end of the run: tests/nu
            parser = Links()
            parser.feed(text)
            targets = parser.found
        for href in targets:
            link = same_site(href, path)
            if link and link not in seen:
                seen.add(link)
                queue.append(link)
    assert len(answers) < PAGE_LIMIT, "the crawl did not end"
    return answers


def demo_account(app, email=None, username=None) -> SimpleNamespace:
    """What `sign_in` needs of a demo account, read before the session closes, and where the
    crawl starts: the home page and every meeting of the person's groups, past ones too
    (a group's page links only to the coming ones; the held ones have the register)."""
    with app.app_context():
        where = User.email == email if email else User.username == username
        user = db.session.scalars(select(User).where(where)).one()
        if user.role in (Role.COORDINATOR, Role.ADMIN):  # they lead every group of the area
            mine = select(Meeting.id).join(Group).where(Group.area_id == user.area_id)
        else:
            link = GroupMember if user.role is Role.YOUTH else GroupFacilitator
            mine = select(Meeting.id).join(link, link.group_id == Meeting.group_id).where(
                link.user_id == user.id)
        meetings = db.session.scalars(mine).all()
        return SimpleNamespace(id=user.id, email=user.email, username=user.username,
                               totp_secret=user.totp_secret, language=user.language,
                               start=("/home", *(f"/meetings/{m}" for m in sorted(meetings))))


def identifying_patterns(app) -> dict[str, re.Pattern]:
    """Each young person's name, username, email and phone, as a whole word, case as written."""
    with app.app_context():
        youth = db.session.scalars(select(User).where(User.role == Role.YOUTH)).all()
        found = {}
        for person in youth:
            local_phone = person.phone and person.phone.replace("+358", "0", 1)
            for value in (person.display_name, person.username, person.email, person.phone,
                          local_phone):
                if value:
                    found[value] = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)")
        return found


@pytest.fixture
def demo(app):
    with app.app_context():
        seed()
        db.session.commit()
    return app


def dead_ends(answers) -> list[str]:
    return [f"{status} {path}" for path, (status, _) in answers.items()
            if status >= 400]


@pytest.mark.parametrize("email", DEMO_EXPERTS)
def test_a_demo_expert_finds_no_young_persons_name_or_contact_anywhere(demo, email):
    client = demo.test_client()
    expert = demo_account(demo, email=email)
    sign_in(client, expert, DEMO_PASSWORD)
    answers = crawl(client, expert.start)
    patterns = identifying_patterns(demo)

    shown = sorted({f"{path}: {value}" for path, (_, text) in answers.items()
                    for value, pattern in patterns.items() if pattern.search(text)})
    named = sorted({path for path, (_, text) in answers.items()
                    if any(pattern.search(text) for pattern in patterns.values())})
    assert not shown and not dead_ends(answers), (
        f"{len(named)} of {len(answers)} pages show a young person's details to an expert:\n"
        + "\n".join(shown) + "\nlinks the expert may not follow:\n"
        + "\n".join(dead_ends(answers)))
    # The crawl did reach the pages that matter: both groups, their meetings and files.
    visited = " ".join(answers)
    assert visited.count("/groups/") >= 2 and re.search(r"/meetings/\d+\.ics", visited)
    assert "/reports.csv" in visited and re.search(r"/meetings/\d+/plan/\d+", visited)


@pytest.mark.parametrize("who", [{"email": "ohjaaja1.ph@example.fi"},
                                 {"email": "koordinaattori.lu@example.fi"},
                                 {"email": "admin.ph@example.fi"},
                                 {"email": "omistaja@example.fi"},
                                 {"username": "nuori01ph"}],
                         ids=["worker", "coordinator", "admin", "service-owner", "youth"])
def test_no_link_shown_to_other_roles_ends_in_a_refusal(demo, who):
    client = demo.test_client()
    person = demo_account(demo, **who)
    sign_in(client, person, DEMO_PASSWORD)
    answers = crawl(client, person.start)
    assert len(answers) > 10
    assert not dead_ends(answers), "links that end in an error:\n" + "\n".join(
        dead_ends(answers))


# --- The same promise, page by page, with people made for the test --------------------------


@pytest.fixture
def team(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja")
    expert = make.user(Role.EXPERT, area=area, display_name="Kalle Kokemus")
    youth = [make.user(Role.YOUTH, area=area, display_name=name)
             for name in ("Aino Aalto", "Eero Esko", "Ilona Ilola")]
    group = make.group(area, facilitators=[worker, expert], members=youth)
    meeting = make.meeting(group)
    item = make.plan_item(meeting, kind="snack", title="Pizza", responsible_id=youth[0].id)
    return SimpleNamespace(worker=worker, expert=expert, youth=youth, group=group,
                           meeting=meeting, item=item)


YOUTH_NAMES = ("Aino", "Aalto", "Eero", "Esko", "Ilona", "Ilola")


def page_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_group_page_tells_an_expert_how_many_not_who(client, make, team):
    sign_in(client, team.expert)
    page = page_of(client, f"/groups/{team.group.id}")
    assert "3 young people" in page
    assert "Olli" in page  # the facilitators are colleagues
    assert not [name for name in YOUTH_NAMES if name in page]


def test_the_group_page_names_the_members_to_their_worker(client, team):
    sign_in(client, team.worker)
    page = page_of(client, f"/groups/{team.group.id}")
    assert all(name in page for name in ("Aino Aalto", "Eero Esko", "Ilona Ilola"))


def test_a_plan_item_says_a_young_person_to_an_expert_and_who_to_a_worker(app, team):
    def takes_care(person):
        client = app.test_client()
        sign_in(client, person)
        page = page_of(client, f"/meetings/{team.meeting.id}")
        return re.search(r"Takes care of it: ([^<]*)<", page).group(1).strip(), page

    shown, page = takes_care(team.expert)
    assert shown == "a young person"
    assert not [name for name in YOUTH_NAMES if name in page]  # nor in the "add" picker
    assert takes_care(team.worker)[0] == "Aino Aalto"
    assert takes_care(team.youth[0])[0] == "you"
    assert takes_care(team.youth[1])[0] == "a young person"


def test_an_expert_is_not_shown_the_register_of_a_held_meeting(app, make, team):
    held = make.meeting(team.group, starts_at=team.meeting.starts_at - timedelta(days=30),
                        status=MeetingStatus.HELD)
    for person, sees_register in ((team.expert, False), (team.worker, True)):
        client = app.test_client()
        sign_in(client, person)
        page = page_of(client, f"/meetings/{held.id}")
        assert f"/meetings/{held.id}/hours" in page  # they log their hours
        assert (f"/meetings/{held.id}/register" in page) is sees_register
        status = client.get(f"/meetings/{held.id}/register").status_code
        assert status == (200 if sees_register else 403)


def responsible_options(page) -> dict[str, str]:
    picker = re.search(r'<select[^>]*name="responsible_id".*?</select>', page, re.S).group(0)
    return {label.strip(): value for value, label in
            re.findall(r'<option[^>]*value="(-?\d+)"[^>]*>([^<]*)</option>', picker)}


def selected_option(page) -> str:
    picker = re.search(r'<select[^>]*name="responsible_id".*?</select>', page, re.S).group(0)
    return re.search(r"<option selected[^>]*>([^<]*)<|<option[^>]*selected[^>]*>([^<]*)<",
                     picker).group(0)


def test_an_expert_edits_a_plan_item_and_the_young_person_stays_in_charge(app, client, team):
    edit = f"/meetings/{team.meeting.id}/plan/{team.item.id}"
    sign_in(client, team.expert)
    page = page_of(client, edit)
    options = responsible_options(page)
    assert set(options) == {"Nobody yet", "Olli", "Kalle", "A young person"}
    assert "A young person" in selected_option(page)
    assert not [name for name in YOUTH_NAMES if name in page]
    assert str(team.youth[0].id) not in options.values()  # not even the account's number

    response = post(client, edit, {"kind": "snack", "title": "Pizza ja salaatti",
                                   "responsible_id": options["A young person"]})
    assert_redirect(response)
    with app.app_context():
        item = db.session.get(PlanItem, team.item.id)
        assert (item.title, item.responsible_id) == ("Pizza ja salaatti", team.youth[0].id)

    worker = app.test_client()
    sign_in(worker, team.worker)
    assert "Aino Aalto" in selected_option(page_of(worker, edit))


def test_an_expert_cannot_put_a_young_person_in_charge_by_number(app, client, team):
    """The expert does not know who it would be: the picker offers staff only, and a young
    person's account number sent anyway is refused, with nothing changed."""
    sign_in(client, team.expert)
    add = page_of(client, f"/meetings/{team.meeting.id}")
    assert set(responsible_options(add)) == {"Nobody yet", "Olli", "Kalle"}
    refused = post(client, f"/meetings/{team.meeting.id}/plan/{team.item.id}", {
        "kind": "snack", "title": "Tacot", "responsible_id": str(team.youth[1].id)})
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    # "A young person" means the one already in charge of that item: a new item has none.
    kept = responsible_options(page_of(client, f"/meetings/{team.meeting.id}/plan/"
                                               f"{team.item.id}"))["A young person"]
    added = post(client, f"/meetings/{team.meeting.id}/plan", {
        "kind": "snack", "title": "Tacot", "responsible_id": kept})
    assert added.status_code == 200
    with app.app_context():
        item = db.session.get(PlanItem, team.item.id)
        assert (item.title, item.responsible_id) == ("Pizza", team.youth[0].id)
        assert db.session.scalar(select(func.count(PlanItem.id))) == 1


def test_an_expert_can_still_put_a_colleague_or_nobody_in_charge(app, client, team):
    sign_in(client, team.expert)
    edit = f"/meetings/{team.meeting.id}/plan/{team.item.id}"
    post(client, edit, {"kind": "snack", "title": "Pizza", "responsible_id": "0"})
    with app.app_context():
        assert db.session.get(PlanItem, team.item.id).responsible_id is None
    post(client, edit, {"kind": "snack", "title": "Pizza",
                        "responsible_id": str(team.worker.id)})
    with app.app_context():
        assert db.session.get(PlanItem, team.item.id).responsible_id == team.worker.id


def test_a_young_person_who_left_the_group_stays_in_charge_when_others_edit(app, make, team):
    """Saving an item never silently drops who takes care of it, even someone no longer in
    the group: the worker sees them by name, the expert as "a young person"."""
    with app.app_context():
        db.session.execute(GroupMember.__table__.delete().where(
            GroupMember.user_id == team.youth[0].id))
        db.session.commit()
    edit = f"/meetings/{team.meeting.id}/plan/{team.item.id}"
    for person, shown in ((team.worker, "Aino Aalto"), (team.expert, "A young person")):
        client = app.test_client()
        sign_in(client, person)
        page = page_of(client, edit)
        assert shown in selected_option(page)
        value = responsible_options(page)[shown]
        post(client, edit, {"kind": "snack", "title": "Pizza", "responsible_id": value})
        with app.app_context():
            assert db.session.get(PlanItem, team.item.id).responsible_id == team.youth[0].id
