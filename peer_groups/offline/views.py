"""The installable register: the web app manifest and the service worker.

The service worker is served from the root, so its scope covers the registers; it keeps only
the registers the server marks as keepable (the worker's own meetings of the day) and the
static files they need, and nothing of any other page. Its version is a hash of its own text
and of the static files' names, so an update installs a new worker that deletes old caches.
"""

import hashlib
import json

from flask import current_app, jsonify, render_template, url_for
from flask_babel import gettext as _

from peer_groups.assets import static_url
from peer_groups.offline import bp

# What a register needs to work with no connection (nothing here holds personal data).
PRECACHED = ("css/app.css", "js/register.js", "js/show-password.js", "img/favicon.svg")
SERVICE_WORKER = "offline/sw.js"


@bp.route("/sw.js")
def service_worker():
    """The register's service worker, at the root so that it covers every register."""
    precache = [static_url(name) for name in PRECACHED]
    source = current_app.jinja_env.loader.get_source(current_app.jinja_env, SERVICE_WORKER)[0]
    version = hashlib.sha256((source + json.dumps(precache)).encode()).hexdigest()[:16]
    body = render_template(SERVICE_WORKER, version=version, precache=precache,
                           sign_out=url_for("auth.sign_out"))
    return body, {"Content-Type": "text/javascript; charset=utf-8"}


@bp.route("/manifest.webmanifest")
def manifest():
    """What a phone needs to add the app to its home screen."""
    answer = jsonify(
        name=_("Peer groups"), short_name=_("Peer groups"), start_url=url_for("main.home"),
        scope="/", display="standalone", background_color="#ffffff", theme_color="#0b5d7a",
        icons=[{"src": static_url("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml",
                "purpose": "any"}])
    answer.mimetype = "application/manifest+json"
    return answer
