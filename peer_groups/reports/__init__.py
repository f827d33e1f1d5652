from flask import Blueprint

bp = Blueprint("reports", __name__)


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.reports import exports, views  # noqa: F401 - their routes register on bp

    return bp
