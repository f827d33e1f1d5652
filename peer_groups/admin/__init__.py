from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The routes register on `bp` as their modules load; they need `bp` above, so come last.
from peer_groups.admin import audit_views as audit_views  # noqa: E402
from peer_groups.admin import consent_views as consent_views  # noqa: E402
from peer_groups.admin import views as views  # noqa: E402
