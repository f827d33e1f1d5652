from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.account import views as views  # noqa: E402
