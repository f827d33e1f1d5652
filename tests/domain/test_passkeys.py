"""The passkey rules, without an app: who must sign in with one, names, the relying party."""

import pytest

from peer_groups.domain.passkeys import (
    StrongSignIn,
    clean_name,
    default_name,
    relying_party,
    strong_sign_in_required,
    strong_sign_in_step,
)


@pytest.mark.parametrize(("required", "method", "has_passkey", "step"), [
    (False, "password", False, StrongSignIn.DONE),
    (True, "passkey", True, StrongSignIn.DONE),
    (True, "sso", False, StrongSignIn.DONE),
    (True, "password", False, StrongSignIn.SET_UP),
    (True, None, False, StrongSignIn.SET_UP),
    (True, "password", True, StrongSignIn.USE),
    (True, "link", True, StrongSignIn.USE),
])
def test_an_area_that_requires_it_sends_admins_to_a_passkey(required, method, has_passkey,
                                                              step):
    assert strong_sign_in_step(required, method, has_passkey) is step


def test_only_admins_of_an_area_that_asks_are_required():
    assert strong_sign_in_required(is_admin=True, area_requires=True)
    assert not strong_sign_in_required(is_admin=False, area_requires=True)
    assert not strong_sign_in_required(is_admin=True, area_requires=False)


@pytest.mark.parametrize(("agent", "name"), [
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile "
     "Safari/537.36", "Android, Chrome"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
     "Version/18.0 Mobile/15E148 Safari/604.1", "iPhone, Safari"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 "
     "Safari/537.36 Edg/131.0", "Windows, Edge"),
    ("", "Passkey"),
    (None, "Passkey"),
])
def test_a_new_passkey_is_named_after_the_browser(agent, name):
    assert default_name(agent) == name


def test_a_typed_name_is_trimmed_and_kept_short():
    assert clean_name("  My   phone ", "Android") == "My phone"
    assert clean_name("   ", "Android") == "Android"
    assert len(clean_name("x" * 200, "Android")) == 64


def test_the_relying_party_is_the_public_host_and_its_origin():
    assert relying_party("https://vertaisryhmat.example.fi/") == (
        "vertaisryhmat.example.fi", "https://vertaisryhmat.example.fi")
    assert relying_party("http://localhost:5000") == ("localhost", "http://localhost:5000")
    assert relying_party("https://app.example.fi", "example.fi") == (
        "example.fi", "https://app.example.fi")
