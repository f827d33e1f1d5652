"""Passkeys: when an area's admins must sign in with one, and a passkey's default name.

A passkey (WebAuthn, a discoverable credential with user verification) proves both factors at
once: the device (something you have) unlocked with a fingerprint, face or PIN. It cannot be
phished, since the browser signs the site's own origin into every answer.
"""

from enum import StrEnum
from urllib.parse import urlsplit

# How a session was signed in that an area may require of its admins.
STRONG_SIGN_IN_METHODS = frozenset({"passkey", "sso"})
NAME_LENGTH = 64


class StrongSignIn(StrEnum):
    """What an admin's session still has to do when their area requires a strong sign-in."""

    DONE = "done"  # not required, or the session signed in with a passkey or single sign-on
    SET_UP = "set_up"  # no passkey yet: add one before going on
    USE = "use"  # has a passkey but signed in with password and code: use it instead


def strong_sign_in_step(required: bool, sign_in_method: str | None,
                        has_passkey: bool) -> StrongSignIn:
    """An area that requires it sends its admins signed in otherwise to a passkey first.

    Adding a passkey is not enough by itself: the admin then signs in with it once (which
    also shows it works), and that session's `sign_in_method` is "passkey".
    """
    if not required or sign_in_method in STRONG_SIGN_IN_METHODS:
        return StrongSignIn.DONE
    return StrongSignIn.USE if has_passkey else StrongSignIn.SET_UP


def strong_sign_in_required(is_admin: bool, area_requires: bool) -> bool:
    """The requirement is for the area's admins; other staff keep password and code."""
    return is_admin and area_requires


PLATFORMS = (  # (what the user agent says, the name), first match wins
    ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
    ("Macintosh", "Mac"), ("Windows", "Windows"), ("CrOS", "Chromebook"), ("Linux", "Linux"),
)
BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
            ("Safari/", "Safari"))


def default_name(user_agent: str | None) -> str:
    """A name the person recognises, from their browser: "Android, Chrome"; else "Passkey"."""
    agent = user_agent or ""
    platform = next((name for marker, name in PLATFORMS if marker in agent), None)
    browser = next((name for marker, name in BROWSERS if marker in agent), None)
    parts = [part for part in (platform, browser) if part]
    return ", ".join(parts) if parts else "Passkey"


def clean_name(typed: str | None, fallback: str) -> str:
    """What the person typed, trimmed and at most NAME_LENGTH characters; else the default."""
    name = " ".join((typed or "").split())[:NAME_LENGTH]
    return name or fallback


def relying_party(public_url: str, rp_id: str | None = None) -> tuple[str, str]:
    """The relying party id (the host of the public URL unless set) and the expected origin.

    A passkey belongs to its RP id: moving the service to another host name means adding
    passkeys again, so set PUBLIC_URL (or PASSKEY_RP_ID, a parent domain) before people do.
    """
    parts = urlsplit(public_url)
    return rp_id or (parts.hostname or ""), f"{parts.scheme}://{parts.netloc}"
