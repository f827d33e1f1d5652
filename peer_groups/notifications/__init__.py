from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/dev/outbox")

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.notifications import views as views  # noqa: E402
