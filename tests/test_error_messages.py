"""Every refusal a service can raise has words in Finnish, Swedish and English.

The codes are read from the source (`DomainError("code"`) and from the domain's problem enums
the services pass on; each must be in its feature's `MESSAGES` table, and each message must
read differently in fi and sv than in en (an untranslated one falls back to the English).
"""

import importlib
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from peer_groups.domain.contacts import CodeProblem
from peer_groups.domain.schedule import ScheduleProblem
from peer_groups.domain.signups import SignupProblem
from peer_groups.domain.sso import ProviderProblem, SignInProblem
from peer_groups.domain.wall_clock import ClockProblem
from peer_groups.refusals import message_for

PACKAGE = Path(__file__).resolve().parent.parent / "peer_groups"
RAISED = re.compile(r"DomainError\(\s*\"(\w+)\"")
# Codes that reach DomainError through a domain enum rather than a literal.
FROM_ENUMS = {"signups": set(SignupProblem),
              "groups": set(ScheduleProblem) | set(ClockProblem),
              "account": set(CodeProblem),
              "sso": set(ProviderProblem) | set(SignInProblem)}
# Features whose refusals are shown with another feature's table.
SHOWN_WITH = {"meetings": "groups"}


class Anything(dict):
    """Details for any message: every blank gets a number."""

    def __getitem__(self, key):
        return 2

    def get(self, key, default=None):
        return 2


def raised_codes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        feature = path.relative_to(PACKAGE).parts[0]
        codes = set(RAISED.findall(path.read_text(encoding="utf-8")))
        if codes:
            found.setdefault(SHOWN_WITH.get(feature, feature), set()).update(codes)
    for feature, codes in FROM_ENUMS.items():
        found.setdefault(feature, set()).update(str(code) for code in codes)
    return found


def table(feature):
    return importlib.import_module(f"peer_groups.{feature}.messages").MESSAGES


class Refusal:
    def __init__(self, code):
        self.code, self.details = code, Anything(blank=2)


def test_services_refuse_with_codes():
    assert sum(len(codes) for codes in raised_codes().values()) > 30


@pytest.mark.parametrize("feature", sorted(raised_codes()))
def test_every_code_raised_has_a_message(feature):
    assert raised_codes()[feature] - set(table(feature)) == set()


@pytest.mark.parametrize("feature", sorted(raised_codes()))
def test_every_message_reads_in_finnish_swedish_and_english(app, feature):
    with app.test_request_context():
        for code in table(feature):
            texts = {}
            for language in ("en", "fi", "sv"):
                with force_locale(language):
                    texts[language] = message_for(Refusal(code), table(feature))
            assert all(texts.values()) and "%(" not in "".join(texts.values()), (code, texts)
            assert texts["fi"] != texts["en"] and texts["sv"] != texts["en"], (code, texts)
