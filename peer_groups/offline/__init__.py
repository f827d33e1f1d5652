from flask import Blueprint

bp = Blueprint("offline", __name__)


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.offline import views  # noqa: F401 - their routes register on bp

    return bp
