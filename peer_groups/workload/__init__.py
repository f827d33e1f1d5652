from flask import Blueprint

bp = Blueprint("workload", __name__)

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.workload import settings_views as settings_views  # noqa: E402
from peer_groups.workload import views as views  # noqa: E402
