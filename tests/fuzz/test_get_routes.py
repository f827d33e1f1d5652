"""Hypothesis sends every GET route hostile path parameters, query strings and languages.

Filters on reports, workload and the audit log, `next` targets, unknown keys, repeated keys and
a hostile Accept-Language header, as every kind of visitor: 20 examples a route on SQLite, 10
on PostgreSQL (`FUZZ_GET_EXAMPLES`; 30 on SQLite took the suite too near CI's 30 minutes).
Nothing may answer 5xx, redirect off the site, or change anything in the database (viewing
notes in the audit trail and the session's last-seen time aside, see watch.py).
"""

import os
import re
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.routes import (
    AREA,
    COLLEAGUE,
    GROUP,
    IDEA,
    INVITATION,
    ITEM,
    KIND,
    MEETING,
    NOTICE_ID,
    PURPOSE,
    TEAM,
    TOKEN,
)
from tests.fuzz.strategies import HOSTILE, Ref, ids, query_values
from tests.fuzz.test_post_routes import SHARE, fuzz_settings, personas_for
from tests.fuzz.world import World

EXAMPLES = int(os.environ.get("FUZZ_GET_EXAMPLES", 20 if SHARE == 1 else 10))
PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")

PATH_VALUES = {
    "area_id": AREA, "team_id": TEAM, "group_id": GROUP, "meeting_id": MEETING,
    "item_id": ITEM, "suggestion_id": IDEA, "invitation_id": INVITATION,
    "user_id": st.one_of(COLLEAGUE, ids("A.worker", "A.youth", "B.worker")),
    "token": TOKEN, "provider_id": ids(), "purpose": PURPOSE, "notice_id": NOTICE_ID, "kind": KIND,
    "filename": st.one_of(st.sampled_from(("css/app.css", "../pyproject.toml", "css/",
                                           "..%2f..%2fpyproject.toml", "css/app.css\x00.png")),
                          HOSTILE),
}
PERIOD = ("area", "from", "to", "team")
QUERY_KEYS = {
    "reports.index": PERIOD, "reports.export_csv": PERIOD, "reports.export_xlsx": PERIOD,
    "reports.export_spreadsheet_csv": PERIOD,
    "workload.index": (*PERIOD, "what_if", "size", "hours", "outing_share", "months"),
    "workload.export": PERIOD, "workload.export_xlsx": PERIOD,
    "workload.export_spreadsheet_csv": PERIOD,
    "admin.audit": ("action", "person", "from", "to", "page"),
    "admin.audit_csv": ("action", "person", "from", "to"),
    "admin.area": ("role", "q", "page"),
    "sso.callback": ("code", "state", "error", "session_state"),
    "notices.index": ("page",),
    "pages.accessibility": ("area",), "pages.privacy": ("area",), "pages.help": ("area",),
}
EVERYWHERE = ("next", "lang")
GET_ENDPOINTS = sorted({
    "account.change_contact", "account.change_password", "account.confirm_contact",
    "account.contact", "account.profile", "account.remove_contact", "account.security",
    "admin.area", "admin.area_consent_texts", "admin.area_sso", "admin.areas", "admin.audit",
    "admin.audit_csv", "admin.consent_texts",
    "admin.edit_area", "admin.edit_team", "admin.edit_user", "admin.index", "admin.new_area",
    "admin.new_consent_text", "admin.new_default_consent_text",
    "admin.new_staff", "auth.reauthenticate", "auth.request_link", "auth.request_reset",
    "auth.reset", "auth.sign_in", "auth.two_factor_check", "auth.two_factor_setup",
    "auth.use_link", "auth.welcome", "calendar.feed", "calendar.settings", "consent.index",
    "feedback.give", "feedback.results",
    "group_messages.to_group", "group_messages.to_meeting",
    "groups.edit", "groups.index", "groups.leave", "groups.new", "groups.new_meeting",
    "groups.schedule", "groups.show", "invitations.finish", "invitations.join",
    "invitations.manage", "invitations.qr", "main.healthz",
    "main.home", "main.index", "meetings.assignments", "meetings.call_off", "meetings.cancel",
    "meetings.edit", "meetings.edit_plan_item", "meetings.ics", "meetings.log_hours",
    "meetings.people", "meetings.record_consent", "meetings.register",
    "meetings.remove_plan_item", "meetings.restore", "meetings.show",
    "notices.index", "notices.show", "notifications.outbox", "offline.manifest",
    "offline.service_worker", "pages.accessibility", "pages.edit_public_pages", "pages.help",
    "pages.privacy", "passkeys.new", "passkeys.required", "privacy.erase", "privacy.my_data",
    "privacy.my_data_csv",
    "privacy.my_data_json", "reports.export_csv", "reports.export_spreadsheet_csv",
    "reports.export_xlsx", "reports.index", "sso.callback", "sso.start", "static",
    "suggestions.close", "suggestions.index",
    "workload.export", "workload.export_spreadsheet_csv", "workload.export_xlsx",
    "workload.group_settings", "workload.index", "workload.settings", "workload.staff",
    "workload.staff_hours",
})


@st.composite
def query(draw, endpoint):
    keys = QUERY_KEYS.get(endpoint, ()) + EVERYWHERE
    pairs = []
    for key in draw(st.lists(st.sampled_from(keys), max_size=len(keys) + 2)):
        value = draw(st.one_of(query_values(), st.sampled_from(("A.team", "B.team",
                                                                "A.youth")).map(Ref)))
        pairs.append((key, value))
    pairs += draw(st.lists(st.tuples(st.text(max_size=8), query_values()), max_size=2))
    return pairs


def case_strategy(endpoint, rule):
    params = {name: PATH_VALUES[name] for name in rule.arguments}
    return st.fixed_dictionaries({
        "persona": personas_for(endpoint, method="GET"),
        "params": st.fixed_dictionaries(params),
        "query": query(endpoint),
        # Any header value a client can send: HTTP has no line breaks inside one.
        "language": st.one_of(st.sampled_from(("en", "fi", "sv", "*", "")), HOSTILE).filter(
            lambda value: isinstance(value, str) and not set(value) & set("\r\n")),
    })


def get_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "GET" in rule.methods),
                  key=lambda rule: rule.endpoint)


@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_get_route_survives_hostile_input(fuzz_app, watch, endpoint):
    rule = next(r for r in fuzz_app.url_map.iter_rules() if r.endpoint == endpoint)
    world = World(fuzz_app)
    watch.changes()

    @fuzz_settings(EXAMPLES)
    @given(case_strategy(endpoint, rule))
    def hostile_gets(case):
        client = world.client(case["persona"])
        watch.changes()
        params = {k: resolve(world, v) for k, v in case["params"].items()}
        path = PARAM.sub(lambda m: quote(str(params[m.group(1)]), safe="/"
                                         if m.group(1) == "filename" else ""), rule.rule)
        pairs = [(k, resolve(world, v)) for k, v in case["query"]]
        url = f"{path}?{urlencode(pairs)}" if pairs else path
        response = client.get(url, headers={"Accept-Language": case["language"]})
        response.close()  # static files are streamed from an open file
        assert response.status_code < 500, f"{response.status_code} from {url}"
        location = response.headers.get("Location", "")
        assert urlsplit(location).netloc in ("", "localhost"), location
        assert [str(c) for c in watch.changes()] == [], f"GET {url} changed data"

    hostile_gets()
    watch.assert_in_step()


def test_every_get_route_is_fuzzed(fuzz_app):
    endpoints = {rule.endpoint for rule in get_rules(fuzz_app)}
    listed = set(GET_ENDPOINTS)
    assert endpoints - listed == set(), "add the new GET routes to test_get_routes.py"
    assert listed - endpoints == set(), "remove routes that no longer exist"


def resolve(world, value):
    return str(world.ids[value.name]) if isinstance(value, Ref) else value
