from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.account import contact_views, views  # noqa: F401 - routes register on bp

    return bp
