"""The pages a Finnish public service must have: accessibility statement, privacy notice, help."""

from flask import Blueprint

bp = Blueprint("pages", __name__)


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.pages import views  # noqa: F401 - their routes register on bp

    return bp
