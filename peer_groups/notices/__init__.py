from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/notices")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.notices import views  # noqa: F401 - their routes register on bp

    return bp
