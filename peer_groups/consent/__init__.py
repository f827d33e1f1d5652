from flask import Blueprint

bp = Blueprint("consent", __name__)

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.consent import views as views  # noqa: E402
