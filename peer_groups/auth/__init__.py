from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.auth import two_factor_views as two_factor_views  # noqa: E402
from peer_groups.auth import views as views  # noqa: E402
