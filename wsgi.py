"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask command (`FLASK_APP=wsgi`)."""

from peer_groups import create_app
from peer_groups.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as refusal:
    # One line that says what to set, not a traceback, for gunicorn and every flask command.
    raise SystemExit(f"peer_groups will not start: {refusal}") from None
