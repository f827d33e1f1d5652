from flask import Blueprint

bp = Blueprint("sso", __name__, url_prefix="/auth/sso")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.sso import views  # noqa: F401 - its routes register on bp

    return bp
