"""Single sign-on rules, without an app."""

import pytest

from peer_groups.domain.errors import DomainError
from peer_groups.domain.sso import (
    Account,
    check_issuer,
    mfa_asserted,
    parse_domains,
    refusal,
)

STAFF_HERE = Account(area_id=1, is_staff=True, active=True)


@pytest.mark.parametrize("amr,acr,expected", [
    (["pwd", "mfa"], None, True), (["hwk"], None, True), (["pwd"], None, False),
    (None, None, False), ("mfa", None, False),  # amr is a list, or nothing
    (["pwd"], "urn:county:mfa", True), (["pwd"], "urn:county:password", False),
])
def test_the_providers_second_factor_counts_only_when_it_says_so(amr, acr, expected):
    assert mfa_asserted(amr, acr, ["urn:county:mfa"]) is expected


@pytest.mark.parametrize("email,verified,account,expected", [
    ("a@example.fi", True, STAFF_HERE, None),
    ("A@Example.FI", True, STAFF_HERE, None),
    ("a@example.fi", "true", STAFF_HERE, "email_unverified"),  # a string is not a yes
    ("a@example.fi", None, STAFF_HERE, "email_unverified"),
    ("a@other.fi", True, STAFF_HERE, "domain_not_covered"),
    (None, True, STAFF_HERE, "no_email"),
    ("a@example.fi", True, None, "unknown_person"),
    ("a@example.fi", True, Account(1, is_staff=False, active=True), "unknown_person"),
    ("a@example.fi", True, Account(1, is_staff=True, active=False), "unknown_person"),
    ("a@example.fi", True, Account(2, is_staff=True, active=True), "other_area"),
])
def test_only_a_verified_address_of_the_areas_own_staff_signs_in(email, verified, account,
                                                                  expected):
    assert refusal(email, verified, ("example.fi",), 1, account) == expected


def test_domains_and_issuers_are_checked():
    assert parse_domains("Example.fi, @hva.fi;example.fi") == ("example.fi", "hva.fi")
    for bad in ("", "not a domain", "a@b"):
        with pytest.raises(DomainError):
            parse_domains(bad)
    assert check_issuer("https://login.microsoftonline.com/t/v2.0/") == (
        "https://login.microsoftonline.com/t/v2.0")
    assert check_issuer("http://127.0.0.1:9400") == "http://127.0.0.1:9400"
    for bad in ("http://idp.example.fi", "ftp://x", "https://x/?q=1", "nonsense"):
        with pytest.raises(DomainError):
            check_issuer(bad)
