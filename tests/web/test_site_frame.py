"""Every page's header and footer are rendered once per menu and language and kept (#18): each
person still gets their own menu, unread count, CSRF token and way back after switching the
language, whoever read the same page before them in the same process."""

import re

import pytest

from peer_groups.domain.roles import Role
from tests.conftest import CSRF, post, sign_in
from tests.factories import PASSWORD

MENU = re.compile(r'<nav class="wrap main-nav".*?</nav>', re.S)
NEXT = re.compile(r'name="next" value="([^"]*)"')


@pytest.fixture
def people(make):
    area = make.area()
    return {
        "coordinator": make.user(Role.COORDINATOR, area=area),
        "worker": make.user(Role.WORKER, area=area),
        "admin": make.user(Role.ADMIN, area=area),
        "youth": make.user(Role.YOUTH, area=area),
        "other youth": make.user(Role.YOUTH, area=area),
    }


def signed_in(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def menu_of(client, path="/help") -> str:
    response = client.get(path)
    assert response.status_code == 200
    found = MENU.search(response.get_data(as_text=True))
    return CSRF.sub("", found.group(0)) if found else ""  # each session's own token aside


def test_each_person_sees_the_menu_of_their_own_role_on_the_same_page(app, people):
    menus = {name: menu_of(signed_in(app, person)) for name, person in people.items()}
    # Read again in another order: what the first reader left kept changes nothing.
    again = {name: menu_of(signed_in(app, people[name])) for name in reversed(people)}
    assert again == menus
    everybody = {"/home", "/groups/", "/account/", "/auth/sign-out"}
    shows = {name: set(re.findall(r'(?:href|action)="([^"]+)"', menu)) - everybody
             for name, menu in menus.items()}
    assert shows == {
        "coordinator": {"/workload", "/reports"},
        "worker": {"/workload", "/reports"},
        "admin": {"/workload", "/reports", "/admin/"},
        "youth": {"/notices/"},
        "other youth": {"/notices/"},
    }
    assert menu_of(app.test_client()) == ""  # nobody signed in: no menu at all


def test_the_unread_count_is_each_young_persons_own(app, make, people):
    for number in range(3):
        make.notice(people["youth"], title=f"News {number}")
    assert "3 unread" in menu_of(signed_in(app, people["youth"]))
    other = menu_of(signed_in(app, people["other youth"]))
    assert "unread" not in other and "nav-count" not in other


def test_each_session_gets_its_own_csrf_token_in_the_header_and_it_works(app, people):
    first, second = signed_in(app, people["youth"]), signed_in(app, people["other youth"])
    tokens = []
    for client in (first, second):
        page = client.get("/help").get_data(as_text=True)
        header = page[:page.index("<main")]
        found = set(CSRF.findall(header))
        assert len(found) == 1  # the language switch and "Sign out" carry the same one
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]
    switched = first.post("/language", data={"csrf_token": tokens[0], "language": "fi",
                                             "next": "/help"})
    assert switched.status_code == 302
    refused = second.post("/language", data={"csrf_token": tokens[0], "language": "fi",
                                             "next": "/help"})
    assert refused.status_code == 400


def test_the_way_back_after_switching_language_is_this_pages_own_and_escaped(app, people):
    client = signed_in(app, people["youth"])
    page = client.get('/help?x="><b>bold</b>').get_data(as_text=True)
    assert NEXT.search(page).group(1) == "/help?x=&#34;&gt;&lt;b&gt;bold&lt;/b&gt;"
    assert "<b>bold" not in page
    assert NEXT.search(client.get("/privacy").get_data(as_text=True)).group(1) == "/privacy"


def test_the_menu_marks_the_page_it_is_on(app, people):
    client = signed_in(app, people["youth"])
    for path in ("/groups/", "/account/", "/home"):
        menu = menu_of(client, path)
        marked = path
        assert re.findall(r'href="([^"]+)" aria-current="page"', menu) == [marked], path
    assert 'aria-current="page"' not in menu_of(client, "/help")


def test_before_the_second_factor_the_menu_offers_only_signing_out(app, people, client):
    post(client, "/auth/sign-in", {"identifier": people["coordinator"].email,
                                   "password": PASSWORD})
    menu = menu_of(client, "/auth/two-factor")
    assert re.findall(r'(?:href|action)="([^"]+)"', menu) == ["/auth/sign-out"]
    # Once it is given, the same person's menu is whole.
    assert "/workload" in menu_of(signed_in(app, people["coordinator"]))
