from flask import Blueprint

bp = Blueprint("privacy", __name__)

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.privacy import views as views  # noqa: E402
