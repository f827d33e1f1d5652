"""Young people's anonymous "how was it?" after a meeting, and what they want next time."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.feedback import views  # noqa: F401 - their routes register on bp

    return bp
