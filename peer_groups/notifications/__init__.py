from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/dev/outbox")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.notifications import views  # noqa: F401 - their routes register on bp

    return bp
