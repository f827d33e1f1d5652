"""Assertions shared by the tests."""

from urllib.parse import urlsplit

# Flask 3.1's `redirect()` answers 302; Flask 3.2 answers 303. Both mean "go there next".
REDIRECTS = (302, 303)


def assert_redirect(response, location=None):
    """Assert that `response` redirects, to the path `location` when given; return it."""
    assert response.status_code in REDIRECTS, (
        response.status_code, response.get_data(as_text=True)[:2000])
    if location is not None:
        assert urlsplit(response.headers["Location"]).path == location, response.headers
    return response
