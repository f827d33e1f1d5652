from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.groups import views  # noqa: F401 - their routes register on bp

    return bp
