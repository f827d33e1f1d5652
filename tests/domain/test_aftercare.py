"""Birth years that fit aftercare, and usernames made from a name."""

from peer_groups.domain.aftercare import birth_years, username, username_base


def test_birth_years_run_from_the_upper_age_to_sixteen():
    assert birth_years(2026, 23) == (2003, 2010)
    assert birth_years(2026, 25) == (2001, 2010)


def test_a_username_base_is_plain_lowercase_ascii():
    assert username_base("Äijä Ö") == "aija.o"
    assert username_base("  Nelli-Maria  ") == "nellimaria"
    assert username_base("🙂") == "member"
    assert len(username_base("a" * 80)) == 20
    assert username("aino", 42) == "aino.0042"
