"""The one error a service raises when it refuses: a code to test and show, and its details."""


class DomainError(Exception):
    """A refusal. `code` names the reason (each feature's `MESSAGES` puts it in words) and
    `details` fill the blanks in that message, e.g. code "locked" with minutes=5."""

    def __init__(self, code: str, **details):
        code = str(code)  # a domain problem enum arrives as its plain value
        super().__init__(code)
        self.code = code
        self.details = details
