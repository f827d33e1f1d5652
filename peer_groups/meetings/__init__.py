from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.meetings import (  # noqa: F401 - their routes register on bp
        plan_views,
        register_views,
        signup_views,
        staffing_views,
        views,
    )

    return bp
