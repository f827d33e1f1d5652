"""gzip for the answers the app sends itself, when no proxy compresses them.

Young people open the app over prepaid data: a page of HTML and the stylesheet shrink to a
fraction gzipped. Behind nginx with `gzip on` nothing changes: nginx leaves an answer that is
already encoded alone. `COMPRESS_RESPONSES=false` turns it off.

BREACH (guessing a secret in a compressed HTTPS page from its length) needs an attacker's page
to make the victim's browser send many *signed-in* requests that reflect the attacker's guesses
next to the secret. Here that does not work:
- the session cookie is `SameSite=Lax`, so requests made from another site's page (images,
  scripts, fetch, frames) carry no session: their answers hold no secret to guess;
- Flask-WTF's CSRF token is not a fixed string on the page: it is the session's raw token
  signed with a timestamp, so its signature changes every second, and a guessed raw token is
  useless without a valid signature made with `SECRET_KEY`;
- the session token itself is only in the cookie, never in a page.
"""

from flask_compress import Compress


def init_app(app):
    """One Compress per app: it keeps the mimetypes and algorithms of the app it was given."""
    if app.config["COMPRESS_RESPONSES"]:
        app.extensions["compress"] = Compress(app)
