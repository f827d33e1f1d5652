from hypothesis import given
from hypothesis import strategies as st

from peer_groups.domain.consent import (
    Answer,
    ConsentState,
    TextVersion,
    consent_stands,
    consent_state,
    needs_answer,
    suppressed,
)

V1 = TextVersion(1, minor=False)
V2_MINOR = TextVersion(2, minor=True)
V3_MAJOR = TextVersion(3, minor=False)


def test_nobody_is_assumed_to_consent():
    assert consent_state(None, [V1]) is ConsentState.NOT_ASKED
    assert not consent_stands(None, [V1])
    assert needs_answer(None, [V1])


def test_yes_and_no_to_the_current_text():
    assert consent_state(Answer(True, 1), [V1]) is ConsentState.GIVEN
    assert consent_stands(Answer(True, 1), [V1])
    assert consent_state(Answer(False, 1), [V1]) is ConsentState.REFUSED
    assert not consent_stands(Answer(False, 1), [V1])
    assert not needs_answer(Answer(False, 1), [V1])


def test_a_minor_change_keeps_the_consent_but_asks_again():
    versions = [V1, V2_MINOR]
    assert consent_stands(Answer(True, 1), versions)
    assert consent_state(Answer(True, 1), versions) is ConsentState.ASK_AGAIN
    assert needs_answer(Answer(True, 1), versions)


def test_a_major_change_turns_the_purpose_off_until_answered():
    versions = [V1, V2_MINOR, V3_MAJOR]
    assert not consent_stands(Answer(True, 1), versions)
    assert not consent_stands(Answer(True, 2), versions)
    assert consent_stands(Answer(True, 3), versions)


def test_a_no_stays_a_no_when_the_text_changes():
    assert consent_state(Answer(False, 1), [V1, V3_MAJOR]) is ConsentState.REFUSED
    assert not needs_answer(Answer(False, 1), [V1, V3_MAJOR])


def test_small_numbers_are_hidden():
    assert [suppressed(n) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]
    assert suppressed(3, threshold=3) == "3"


@given(st.booleans(), st.integers(min_value=1, max_value=5),
       st.lists(st.booleans(), min_size=1, max_size=6))
def test_consent_never_stands_after_a_no_or_a_major_change(given_, answered, minors):
    versions = [TextVersion(i + 1, minor) for i, minor in enumerate(minors)]
    answered = min(answered, len(versions))
    stands = consent_stands(Answer(given_, answered), versions)
    major_since = any(not v.minor for v in versions if v.version > answered)
    assert stands == (given_ and not major_since)
