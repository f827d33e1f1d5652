"""Security headers on every response, and no malformed input past the door."""

from flask import abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def refuse_malformed_input():
    """Refuse a request whose path, query or form holds a NUL character, or whose multipart
    form has a field without a readable name, before anything reads it.

    Nobody types a NUL, and PostgreSQL cannot store one (the query would fail). A field name
    with a line break or a backslash comes out of multipart parsing as None, which CSRF
    protection cannot handle.
    """
    if "\x00" in request.path:
        abort(400)
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if key is None or "\x00" in key or "\x00" in value:
                abort(400)


def init_app(app):
    development = app.config["APP_ENV"] != "production"
    # First of the before_request functions: CSRF protection reads the form too.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_malformed_input)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not development:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if request.endpoint != "static":
            # Pages may show personal data: no browser or proxy keeps a copy.
            headers["Cache-Control"] = "no-store"
        return response
