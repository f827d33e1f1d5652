"""Views say why a service refused in one way: the feature's table turns the code into words.

A table maps each code to a lazy string whose `%(name)s` blanks the error's details fill, or,
for a plural, to a function that takes the details.
"""

from flask import flash

from peer_groups.domain.errors import DomainError


def message_for(refused: DomainError, messages: dict) -> str:
    """The refusal in the reader's language."""
    entry = messages[refused.code]
    if callable(entry):
        return entry(refused.details)
    text = str(entry)
    return text % refused.details if refused.details else text


def flash_error(refused: DomainError, messages: dict) -> None:
    """Show the refusal at the top of the next page."""
    flash(message_for(refused, messages), "error")
