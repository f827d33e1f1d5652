"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from peer_groups import create_app

app = create_app()
