"""Hypothesis sends every POST route generated form bodies, as every kind of visitor.

Every route with a form gets 150 examples on SQLite (`FUZZ_EXAMPLES`); a route whose form is
only a button and its CSRF token gets 50 (`FUZZ_BUTTON_EXAMPLES`): that one ConfirmForm is
thus tried some thousand times over its routes, with far fewer inputs to vary. PostgreSQL runs
the same examples about twice as slowly, so there a form gets 100 (fewer leave some forms,
the single sign-on settings' among them, never filled in right). With the routes of single
sign-on, passkeys and feedback, 300 on SQLite took the whole suite too close to CI's 30
minutes, and then 200 did (28:45 from a fresh clone); `FUZZ_EXAMPLES=300` runs the old number.

The examples are plausible bodies with one, some or all fields made hostile (unicode with NUL,
zero-width and right-to-left marks, 100 KB strings, numbers for text and text for numbers,
huge and negative ids, impossible dates), missing, repeated and unknown fields, a missing or
forged CSRF token, multipart and JSON bodies, and URL ids of the person's own objects, of the
other area's and of nothing at all. After each request:

- nothing answers 5xx, and no redirect leaves the site;
- the other area's rows are untouched (the superuser aside, who may change any area);
- a refused request (4xx, the form shown again with an error, or a redirect with an error
  message) changed nothing;
- an accepted one changed only the tables its line in routes.py names;
- and each route had examples refused and examples accepted, so the fuzzer got past the door.

The audit trail, sessions and sign-in counters are allowed to move throughout: see watch.py.
Runs are derandomised: the same examples every time, so a failure repeats.
"""

import io
import os
import re
import secrets
from collections import Counter
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from peer_groups.auth import services as auth_services
from peer_groups.auth.models import TokenPurpose, User
from peer_groups.auth.passwords import hash_password
from peer_groups.db import db
from peer_groups.invitations import services as invitation_services
from peer_groups.invitations.models import Invitation
from tests.conftest import BACKEND
from tests.factories import PASSWORD
from tests.fuzz.routes import ROUTES
from tests.fuzz.strategies import Ref, form_body
from tests.fuzz.world import AREA_OF, PERSONAS, PROTECTED, World
from tests.web.test_access import EXPECTED, SIGN_IN

SHARE = 1 if BACKEND == "sqlite" else 3  # PostgreSQL: a third of the examples
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 150 if SHARE == 1 else 100))
BUTTON_EXAMPLES = int(os.environ.get("FUZZ_BUTTON_EXAMPLES", 50))
PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
ERROR_ON_PAGE = re.compile(r'class="(?:error|error-summary|flash flash-error)\b')
LIVE_TOKENS = {"auth.use_link": ("login_youth", TokenPurpose.SIGN_IN),
               "auth.reset": ("target_worker", TokenPurpose.PASSWORD_RESET),
               "auth.welcome": ("new_worker", TokenPurpose.SET_PASSWORD)}
# Routes no example can complete in the fuzz world, and why.
NEVER_ACCEPTED = {
    "account.turn_off_second_factor": "no young person in the world has an authenticator",
    "auth.two_factor_setup": "the first code must come from the authenticator app",
    "account.confirm_contact": "the code goes only to the new address, in a message",
    "meetings.send_taps": "it takes JSON from the phone, not a form (test_register_taps.py)",
    "feedback.make_idea": "the world holds no answers, so no line to make an idea of "
                          "(tests/web/test_feedback.py)",
    "passkeys.register": "it takes a browser's WebAuthn answer as JSON (test_passkeys.py)",
    "passkeys.sign_in": "it takes a browser's WebAuthn answer as JSON (test_passkeys.py)",
    "passkeys.remove": "nobody in the world has a passkey",
}


def fuzz_settings(examples=EXAMPLES):
    """Repeatable runs; FUZZ_SHRINK=0 skips shrinking, for a quick survey of many failures."""
    phases = [Phase.explicit, Phase.generate] if os.environ.get("FUZZ_SHRINK") == "0" \
        else settings.default.phases
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                    phases=phases,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


def personas_for(endpoint, method="POST"):
    """Mostly the personas test_access.py expects to be let in, often everybody else."""
    spec = ROUTES.get(endpoint) if method == "POST" else None
    if spec and spec.personas:
        return st.sampled_from(spec.personas)
    answers = EXPECTED.get(endpoint, (method, {}))[1]
    allowed = [p for p, status in answers.items() if status not in (403, 404, SIGN_IN)]
    return st.sampled_from(allowed * 2 + list(PERSONAS))


def case_strategy(endpoint):
    spec = ROUTES[endpoint]
    return st.fixed_dictionaries({
        "persona": personas_for(endpoint),
        "params": st.fixed_dictionaries(spec.params),
        "body": form_body(spec.fields),
        "csrf": st.sampled_from(["valid"] * 8 + ["missing", "forged"]),
        "encoding": st.sampled_from(["form"] * 8 + ["multipart", "json"]),
    })


def test_every_post_route_is_fuzzed(fuzz_app):
    posted = {rule.endpoint for rule in fuzz_app.url_map.iter_rules() if "POST" in rule.methods}
    assert posted - set(ROUTES) == set(), "add the new POST routes to tests/fuzz/routes.py"
    assert set(ROUTES) - posted == set(), "remove routes that no longer exist"


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_post_route_survives_hostile_input(fuzz_app, watch, endpoint):
    world = World(fuzz_app)
    watch.changes()  # the new world is the starting point
    rule = next(r for r in fuzz_app.url_map.iter_rules() if r.endpoint == endpoint)
    outcomes = Counter()

    @fuzz_settings(EXAMPLES if ROUTES[endpoint].fields.fields else BUTTON_EXAMPLES)
    @given(case_strategy(endpoint))
    def hostile_posts(case):
        outcomes[exercise(world, watch, endpoint, rule.rule, case)] += 1

    hostile_posts()
    watch.assert_in_step()
    # The examples reached past the door: some were refused, and some did what they ask.
    assert outcomes["refused"] > 0
    assert outcomes["accepted"] > 0 or endpoint in NEVER_ACCEPTED, outcomes


def exercise(world, watch, endpoint, rule, case) -> str:
    spec = ROUTES[endpoint]
    persona = case["persona"]
    client = world.client(persona)
    params = {name: resolve(world, endpoint, value) for name, value in case["params"].items()}
    path = PARAM.sub(lambda m: quote(str(params[m.group(1)]), safe=""), rule)
    pairs = [(name, resolve(world, endpoint, value)) for name, value in case["body"]]
    if case["csrf"] == "valid":
        pairs.insert(0, ("csrf_token", client.csrf))
    elif case["csrf"] == "forged":
        pairs.insert(0, ("csrf_token", client.csrf[:-4] + "AAAA"))
    watch.changes()  # what the setup itself wrote (tokens, sign-ins) is not the request's

    response = send(client, path, pairs, case["encoding"])
    status = response.status_code
    body = response.get_data(as_text=True) if status == 200 else ""
    flashed = pop_flashes(client) if 300 <= status < 400 else []
    assert status < 500, f"{status} from {endpoint} {path}"
    location = response.headers.get("Location", "")
    assert urlsplit(location).netloc in ("", "localhost"), f"off-site redirect to {location}"

    refused = (400 <= status < 500 or bool(ERROR_ON_PAGE.search(body))
               or any(category == "error" for category, _ in flashed))
    changes = watch.changes()
    protected = PROTECTED[AREA_OF.get(persona, "A")]
    if protected:
        crossed = [str(c) for c in changes if world.belongs_to(c, protected)]
        assert crossed == [], f"{persona} changed area {protected}'s rows: {crossed}"
    if refused:
        assert [str(c) for c in changes] == [], f"refused ({status}) but changed"
    else:
        unexpected = [str(c) for c in changes if c.table not in spec.writes]
        assert unexpected == [], f"accepted ({status}) and changed tables beyond its own"
        after_accepted(world, watch, endpoint, persona)
    return "refused" if refused else "accepted"


def resolve(world, endpoint, value):
    if isinstance(value, Ref):
        return str(world.ids[value.name])
    if value == "live" and endpoint in LIVE_TOKENS:
        return live_token(world, *LIVE_TOKENS[endpoint])
    if value == "live" and endpoint == "invitations.join":
        return world.ids["A.invitation_token"]
    if value == "live" and endpoint == "invitations.finish":
        return live_join_token(world)
    return value


def live_join_token(world):
    """A link to finish joining, as the join form would have sent to a new address."""
    links = []
    with world.app.app_context():
        invitation = db.session.scalars(select(Invitation).where(
            Invitation.token == world.ids["A.invitation_token"])).one()
        invitation_services.start_join(
            invitation, display_name="Uusi", language="fi", birth_year=2008,
            contact=f"new.{secrets.token_hex(4)}@example.com", password=None,
            link_for_finish=links.append, link_for_sign_in=str)
        db.session.commit()
    return links[0]


def live_token(world, person, purpose):
    with world.app.app_context():
        user = db.session.get(User, world.ids[f"A.{person}"])
        token = auth_services.issue_token(user, purpose, world.app.config["SIGN_IN_LINK_LIFETIME"])
        db.session.commit()
    return token


def send(client, path, pairs, encoding):
    if encoding == "json":
        return client.post(path, json=dict(pairs))
    data = MultiDict(pairs)
    if encoding == "multipart":
        data.add("attachment", (io.BytesIO(b"\x00\xff not a form field"), "notes.txt"))
    response = client.post(path, data=data)
    # The test client spools a large multipart body to a temporary file it never closes.
    response.request.environ["wsgi.input"].close()
    return response


def pop_flashes(client):
    with client.session_transaction() as session:
        return session.pop("_flashes", [])


def after_accepted(world, watch, endpoint, persona):
    """Put back what the personas need for the next examples."""
    spec = ROUTES[endpoint]
    if endpoint == "account.change_password" and persona in world.people:
        with world.app.app_context():
            user = db.session.get(User, world.people[persona].id)
            user.password_hash = hash_password(PASSWORD)
            db.session.commit()
        watch.changes()
    if spec.ends_sessions:
        world.forget_sessions()
    if persona == "anonymous":
        world.forget("anonymous")  # it may be signed in now
