from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.auth import two_factor_views, views  # noqa: F401 - their routes register on bp

    return bp
