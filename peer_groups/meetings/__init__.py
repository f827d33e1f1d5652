from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.meetings import plan_views as plan_views  # noqa: E402
from peer_groups.meetings import register_views as register_views  # noqa: E402
from peer_groups.meetings import signup_views as signup_views  # noqa: E402
from peer_groups.meetings import staffing_views as staffing_views  # noqa: E402
from peer_groups.meetings import views as views  # noqa: E402
