from flask import Blueprint

bp = Blueprint("passkeys", __name__, url_prefix="/passkeys")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.passkeys import views  # noqa: F401 - its routes register on bp

    return bp
