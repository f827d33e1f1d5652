from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.admin import (  # noqa: F401 - their routes register on bp
        audit_views,
        consent_views,
        sso_views,
        views,
    )

    return bp
