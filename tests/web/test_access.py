"""Every route, asked by every kind of visitor: the answer must be the expected one.

The table below is generated against `app.url_map`: a new route without a line here fails
the suite, so nobody adds a page without deciding who may see it.
"""

from datetime import timedelta

import pytest

from peer_groups.domain.roles import Role
from tests import nu
from tests.conftest import csrf_token, sign_in
from tests.helpers import REDIRECTS

PERSONAS = ["anonymous", "youth", "worker", "expert", "coordinator", "admin", "other_admin",
            "superuser"]
SIGNED_IN = PERSONAS[1:]
SIGN_IN = "sign-in"  # a redirect to the sign-in page


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def signed_in_only(status=200):
    return {"anonymous": SIGN_IN, **dict.fromkeys(SIGNED_IN, status)}


def only(allowed: dict, refused=403):
    """Signed-in personas not in `allowed` get `refused`; anonymous goes to sign in."""
    return {"anonymous": SIGN_IN, **dict.fromkeys(SIGNED_IN, refused), **allowed}


VIEWERS = ("youth", "worker", "expert", "coordinator", "admin", "superuser")  # of group A
MANAGERS = ("worker", "coordinator", "admin", "superuser")
PLANNERS = (*MANAGERS, "expert")


def allowed(personas, status=200):
    return only(dict.fromkeys(personas, status))


# Pages about a young person's own data: staff have none, so there is nothing to find.
YOUTH_ONLY_PAGE = {**only({"youth": 200}, refused=404)}

# endpoint -> (method, expected answer per persona)
EXPECTED = {
    "main.index": ("GET", {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
    "main.home": ("GET", signed_in_only()),
    "main.healthz": ("GET", everyone(200)),
    "main.set_language": ("POST", everyone(302)),
    "auth.sign_in": ("GET", {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
    "auth.sign_out": ("POST", signed_in_only(302)),
    "auth.request_link": ("GET", everyone(200)),
    "auth.use_link": ("GET", everyone(410)),
    "auth.request_reset": ("GET", everyone(200)),
    "auth.reset": ("GET", everyone(410)),
    "auth.welcome": ("GET", everyone(410)),
    "auth.two_factor_check": ("GET", signed_in_only(302)),  # passed already: goes on
    # Single sign-on: no provider is connected here, so the button leads back to sign in,
    # and an answer from a provider without a sign-in this browser started is refused.
    "sso.start": ("GET", everyone(302)),
    "sso.callback": ("GET", everyone(403)),
    "admin.area_sso": ("GET", allowed(("admin", "superuser"))),
    "admin.check_sso": ("POST", allowed(("admin", "superuser"), 302)),
    "admin.disconnect_sso": ("POST", allowed(("admin", "superuser"), 302)),
    "auth.two_factor_setup": ("GET", signed_in_only()),
    "auth.reauthenticate": ("GET", signed_in_only()),
    "auth.reauthenticate_by_link": ("POST", signed_in_only()),
    "account.profile": ("GET", signed_in_only()),
    "account.security": ("GET", signed_in_only()),
    "account.sign_out_elsewhere": ("POST", signed_in_only(302)),
    # Staff have an authenticator in these tests; the young person has none.
    "account.new_recovery_codes": ("POST", {**signed_in_only(), "anonymous": SIGN_IN,
                                            "youth": 404}),
    "account.turn_off_second_factor": ("POST", only({})),
    "account.change_password": ("GET", signed_in_only()),
    # A young person's own email and phone (kind=email): staff's are an admin's to change.
    "account.contact": ("GET", YOUTH_ONLY_PAGE),
    "account.change_contact": ("GET", YOUTH_ONLY_PAGE),
    "account.confirm_contact": ("GET", {**YOUTH_ONLY_PAGE, "youth": 302}),  # no code waiting
    "account.remove_contact": ("GET", YOUTH_ONLY_PAGE),
    "account.choose_channel": ("POST", {**YOUTH_ONLY_PAGE, "youth": 302}),
    "admin.index": ("GET", only({"admin": 302, "other_admin": 302, "superuser": 302})),
    "admin.areas": ("GET", only({"superuser": 200})),
    "admin.new_area": ("GET", only({"superuser": 200})),
    "admin.area": ("GET", only({"admin": 200, "superuser": 200})),
    "admin.edit_area": ("GET", only({"admin": 200, "superuser": 200})),
    "admin.new_team": ("POST", only({"admin": 302, "superuser": 302})),
    "admin.edit_team": ("GET", only({"admin": 200, "superuser": 200})),
    "admin.new_staff": ("GET", only({"admin": 200, "superuser": 200})),
    "admin.edit_user": ("GET", only({"admin": 200, "superuser": 200})),
    "admin.sign_out_everywhere": ("POST", only({"admin": 302, "superuser": 302})),
    "admin.resend_welcome": ("POST", only({"admin": 302, "superuser": 302})),
    "admin.reset_two_factor": ("POST", only({"admin": 302, "superuser": 302})),
    "pages.accessibility": ("GET", everyone(200)),
    "pages.privacy": ("GET", everyone(200)),
    "pages.help": ("GET", everyone(200)),
    "pages.edit_public_pages": ("GET", only({"admin": 200, "superuser": 200})),
    # The development outbox exists outside production only (tested in test_outbox.py).
    "notifications.outbox": ("GET", everyone(200)),
    "notifications.send_now": ("POST", everyone(302)),
    "static": ("GET", everyone(200)),
    "groups.index": ("GET", signed_in_only()),
    # The superuser has no area of their own to start a group in.
    "groups.new": ("GET", allowed(("worker", "coordinator", "admin", "other_admin"))),
    "groups.show": ("GET", allowed(VIEWERS)),
    "groups.edit": ("GET", allowed(MANAGERS)),
    "groups.archive": ("POST", allowed(MANAGERS, 302)),
    "groups.schedule": ("GET", allowed(MANAGERS)),
    "groups.new_meeting": ("GET", allowed(MANAGERS)),
    "meetings.show": ("GET", allowed(VIEWERS)),
    "meetings.ics": ("GET", allowed(VIEWERS)),
    "meetings.edit": ("GET", allowed(MANAGERS)),
    "meetings.call_off": ("GET", allowed(MANAGERS)),
    "meetings.restore": ("GET", allowed(MANAGERS)),  # the confirmation page
    "meetings.add_plan_item": ("POST", allowed(PLANNERS)),  # empty form: shown again
    "meetings.edit_plan_item": ("GET", allowed(PLANNERS)),
    "meetings.remove_plan_item": ("POST", allowed(PLANNERS, 302)),
    "meetings.move_plan_item": ("POST", allowed(PLANNERS, 302)),
    "meetings.copy_plan": ("POST", allowed(PLANNERS, 302)),
    "suggestions.index": ("GET", allowed(VIEWERS)),
    "suggestions.vote": ("POST", allowed(("youth",), 302)),
    "suggestions.adopt": ("POST", allowed(PLANNERS, 302)),  # no meeting chosen: nothing done
    "suggestions.close": ("GET", allowed(PLANNERS)),
    # The meeting is not held: nothing to answer for its young member, nothing for others.
    # A member whose meeting can't be answered gets a kind page saying so.
    "feedback.give": ("GET", only({"youth": 200})),
    "feedback.dismiss": ("POST", allowed(("youth",), 302)),
    # Answers and their free text: the group's workers only, not experts nor coordinators.
    "feedback.results": ("GET", allowed(("worker",))),
    "feedback.make_idea": ("POST", allowed(("worker",), 302)),
    "calendar.settings": ("GET", signed_in_only()),
    "meetings.signup": ("POST", allowed(("youth",), 302)),
    "meetings.cancel": ("GET", allowed(("youth",))),  # the confirmation page
    "meetings.people": ("GET", allowed(MANAGERS)),
    "meetings.remove_person": ("POST", allowed(MANAGERS, 302)),
    "invitations.manage": ("GET", allowed(MANAGERS)),
    "invitations.revoke": ("POST", allowed(MANAGERS, 302)),
    "invitations.qr": ("GET", allowed(MANAGERS)),
    "invitations.join": ("GET", everyone(410)),  # an unknown invitation
    "invitations.finish": ("GET", everyone(410)),  # an unknown link
    "consent.index": ("GET", YOUTH_ONLY_PAGE),
    "consent.answer": ("POST", {**YOUTH_ONLY_PAGE, "youth": 302}),
    "consent.dietary": ("POST", only({})),  # nobody has the dietary consent here
    "privacy.my_data": ("GET", YOUTH_ONLY_PAGE),
    "privacy.my_data_json": ("GET", YOUTH_ONLY_PAGE),
    "privacy.my_data_csv": ("GET", YOUTH_ONLY_PAGE),
    "privacy.erase": ("GET", YOUTH_ONLY_PAGE),
    "privacy.erase_link": ("POST", YOUTH_ONLY_PAGE),  # sends the link: "check your messages"
    "meetings.register": ("GET", allowed(MANAGERS)),
    "meetings.mark": ("POST", allowed(MANAGERS, 302)),  # no consent: explained, not marked
    "meetings.headcount": ("POST", allowed(MANAGERS, 302)),
    "meetings.close_register": ("POST", allowed(MANAGERS, 302)),
    "meetings.reopen_register": ("POST", allowed(MANAGERS, 302)),  # not closed: explained
    "meetings.record_consent": ("GET", allowed(MANAGERS)),
    # JSON from the phone's queue: only the group's own workers; signed out is told 401.
    "meetings.send_taps": ("POST", {**only({"worker": 400}), "anonymous": 401}),
    "offline.service_worker": ("GET", everyone(200)),
    "offline.manifest": ("GET", everyone(200)),
    "admin.audit": ("GET", allowed(("admin", "superuser"))),
    "admin.audit_csv": ("GET", allowed(("admin", "superuser"))),
    # The service owner reads every area's workload and reports (the first area unless
    # another is chosen); everyone else only their own area's.
    **{endpoint: ("GET", allowed(("worker", "coordinator", "admin", "other_admin", "superuser")))
       for endpoint in ("workload.index", "workload.export", "workload.export_xlsx",
                        "workload.export_spreadsheet_csv")},
    "workload.settings": ("GET", {**allowed(("coordinator", "admin", "other_admin")),
                                  "superuser": 404}),
    "workload.staff": ("GET", {**allowed(("coordinator", "admin", "other_admin")),
                               "superuser": 404}),
    "workload.staff_hours": ("GET", allowed(("coordinator", "admin", "superuser"))),
    "workload.group_settings": ("GET", allowed(MANAGERS)),
    "meetings.assignments": ("GET", allowed(MANAGERS)),
    "meetings.unassign": ("POST", allowed(MANAGERS, 302)),
    "meetings.log_hours": ("GET", allowed(PLANNERS)),
    **{endpoint: ("GET", allowed(("worker", "expert", "coordinator", "admin", "other_admin",
                                  "superuser")))
       for endpoint in ("reports.index", "reports.export_csv", "reports.export_xlsx",
                        "reports.export_spreadsheet_csv")},
    # Area admins go to their own area's texts; the defaults are the service owner's.
    "admin.consent_texts": ("GET", {**allowed(("admin", "other_admin"), 302), "superuser": 200}),
    "admin.area_consent_texts": ("GET", allowed(("admin", "superuser"))),
    "admin.new_consent_text": ("GET", allowed(("admin", "superuser"))),
    "admin.publish_consent_text": ("POST", allowed(("admin", "superuser"))),  # empty: errors
    "admin.new_default_consent_text": ("GET", allowed(("superuser",))),
    "admin.publish_default_consent_text": ("POST", allowed(("superuser",))),
    "calendar.feed": ("GET", everyone(404)),  # an unknown token
    # Only the group's own workers write to its young people (experts see no contacts).
    "group_messages.to_group": ("GET", allowed(("worker",))),
    "group_messages.to_meeting": ("GET", allowed(("worker",))),
    "groups.leave": ("GET", allowed(("youth",))),  # the confirmation page
    # Young people's own notices; staff are told by email only, so they have none to find.
    "notices.index": ("GET", YOUTH_ONLY_PAGE),
    "notices.show": ("GET", YOUTH_ONLY_PAGE),
    "notices.read_all": ("POST", {**YOUTH_ONLY_PAGE, "youth": 302}),
    # Passkeys: the JSON exchanges answer a form post (not JSON) with 400; nobody has one here.
    "passkeys.new": ("GET", signed_in_only()),
    "passkeys.registration_options": ("POST", signed_in_only()),
    "passkeys.register": ("POST", signed_in_only(400)),
    "passkeys.sign_in_options": ("POST", everyone(200)),
    "passkeys.sign_in": ("POST", everyone(400)),
    "passkeys.required": ("GET", signed_in_only(302)),  # not required of anyone here
    "passkeys.remove": ("POST", only({}, refused=404)),
}

# Routes that change or remove what they act on get objects of their own, so the order in
# which the routes are asked does not matter.
SPARE = {
    "groups.archive": {"group_id": "spare_group_id"},
    "meetings.remove_plan_item": {"item_id": "spare_item_id"},
    "meetings.mark": {"user_id": "youth_id"},
    "meetings.close_register": {"meeting_id": "spare_meeting_id"},
    "meetings.record_consent": {"user_id": "youth_id"},
}


@pytest.fixture
def world(make):
    """Area A with one person of each role, area B with its own admin, and the superuser."""
    area = make.area()
    other = make.area()
    team = make.team(area)
    people = {role.value: make.user(role, area=area) for role in Role}
    people["other_admin"] = make.user(Role.ADMIN, area=other)
    people["superuser"] = make.user(Role.ADMIN, area=None, is_superuser=True)
    target = make.user(Role.WORKER, area=area, display_name="Target Worker")
    facilitators = [people["worker"], people["expert"]]
    group = make.group(area, facilitators=facilitators, members=[people["youth"]])
    spare = make.group(area, facilitators=facilitators, members=[people["youth"]])
    meeting = make.meeting(group)
    spare_meeting = make.meeting(group, starts_at=meeting.starts_at + timedelta(days=1))
    item = make.plan_item(meeting)
    spare_item = make.plan_item(meeting)
    idea = make.suggestion(group, people["youth"])
    invitation = make.invitation(group)
    notice = make.notice(people["youth"], meeting_id=meeting.id)
    values = {"area_id": area.id, "team_id": team.id, "user_id": target.id,
              "token": "not-a-real-token", "filename": "css/app.css", "group_id": group.id,
              "meeting_id": meeting.id, "item_id": item.id, "suggestion_id": idea.id,
              "spare_group_id": spare.id, "spare_item_id": spare_item.id,
              "invitation_id": invitation.id, "purpose": "attendance",
              "youth_id": people["youth"].id, "spare_meeting_id": spare_meeting.id,
              "notice_id": notice.id, "kind": "email", "provider_id": 999999,
              "answer_id": "00000000-0000-4000-8000-000000000000", "passkey_id": 1}
    return people, values


def test_every_route_has_an_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(EXPECTED) == set(), "add the new routes to EXPECTED"
    assert set(EXPECTED) - endpoints == set(), "remove routes that no longer exist"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_answer(app, world, persona):
    people, values = world
    wrong = []
    for rule in app.url_map.iter_rules():
        method, expected_by_persona = EXPECTED[rule.endpoint]
        expected = expected_by_persona[persona]
        client = app.test_client()
        if persona != "anonymous":
            sign_in(client, people[persona])
        chosen = dict(values)
        for param, key in SPARE.get(rule.endpoint, {}).items():
            chosen[param] = values[key]
        path = rule.build({k: v for k, v in chosen.items() if k in rule.arguments})[1]
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": csrf_token(client)})
        if response.mimetype == "text/html":
            nu.keep(path, response.get_data())  # checked at the end of the run: tests/nu
        response.close()  # static files are streamed from an open file
        if expected == SIGN_IN:
            ok = response.status_code in REDIRECTS and response.headers["Location"].startswith(
                "/auth/sign-in")
        elif expected == 302:  # a redirect: 302 today, 303 from Flask 3.2
            ok = response.status_code in REDIRECTS
        else:
            ok = response.status_code == expected
        if not ok:
            wrong.append(f"{method} {path}: expected {expected}, got {response.status_code} "
                         f"{response.headers.get('Location', '')}")
    assert wrong == []


def test_other_areas_people_are_not_reachable_by_id(app, make):
    """An admin guessing ids of another area's people, teams and area gets nothing."""
    mine, theirs = make.area(), make.area()
    admin = make.user(Role.ADMIN, area=mine)
    their_worker = make.user(Role.WORKER, area=theirs)
    their_team = make.team(theirs)
    client = app.test_client()
    sign_in(client, admin)
    for path in [f"/admin/areas/{theirs.id}", f"/admin/users/{their_worker.id}/edit",
                 f"/admin/teams/{their_team.id}/edit", f"/admin/areas/{theirs.id}/staff/new"]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert their_worker.display_name not in response.get_data(as_text=True)
