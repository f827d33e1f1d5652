"""Which way a message reaches a person, and the one sentence that tells them so.

A young person chooses how news and reminders reach them (`User.notify_by`): here in the app
only, by email or by text message, among the addresses they have confirmed. Messages about
the account itself (sign-in links, password links, "your sign-in settings changed") still go
to an email or phone whatever the choice: they are how the person gets in, or learns that
someone else did.
"""

from flask_babel import lazy_gettext as _l

from peer_groups.domain.contacts import NotifyBy, mask_email, mask_phone
from peer_groups.notifications.models import Channel

# Templates about signing in and the account: never held back by "in the app only".
ACCOUNT_TEMPLATES = frozenset({
    "sign_in_link", "password_reset", "welcome", "erase_link", "join_finish", "join_attempt",
    "account_changed", "account_removal", "contact_code",
})


def default_channel(user) -> Channel | None:
    """Email if there is one, else the phone, else none (the app only)."""
    if getattr(user, "email", None):
        return Channel.EMAIL
    return Channel.SMS if getattr(user, "phone", None) else None


def channel_for(user, template: str | None = None) -> Channel | None:
    """The outbox channel of a message to `user`; None: it is kept in the app only.

    `user` may be a not-yet-user (invitations' Recipient), who has no choice yet.
    """
    chosen = getattr(user, "notify_by", None)
    if chosen is None or template in ACCOUNT_TEMPLATES:
        return default_channel(user)
    if chosen is NotifyBy.APP:
        return None
    address = user.email if chosen is NotifyBy.EMAIL else user.phone
    # A removed address leaves no promise behind: fall back to what the person still has.
    return Channel(chosen.value) if address else default_channel(user)


def how_told(user) -> str:
    """"here in the app" / "by email to a…@example.fi" / "by text message to 040 … 67"."""
    channel = channel_for(user)
    if channel is Channel.EMAIL:
        return str(_l("by email to %(address)s", address=mask_email(user.email)))
    if channel is Channel.SMS:
        return str(_l("by text message to %(number)s", number=mask_phone(user.phone)))
    return str(_l("here in the app"))
