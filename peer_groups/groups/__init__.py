from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.groups import views as views  # noqa: E402
