from flask import Blueprint

bp = Blueprint("workload", __name__)


def blueprint():
    """The blueprint with its routes: loaded here, when the app is built, not on import."""
    from peer_groups.workload import (  # noqa: F401 - their routes register on bp
        exports,
        settings_views,
        views,
    )

    return bp
