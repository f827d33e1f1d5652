"""Browser tier: the real app on a live server, driven by headless Chromium on a phone screen.

Every test gets its own app and database (the `app` fixture of tests/conftest.py), served by
Werkzeug on a free port in a thread, and a fresh browser context: 360x740, touch, Finnish.
`assert_accessible` runs axe-core (WCAG 2.0/2.1 A and AA) and fails with each violation.
"""

import threading
import time
from contextlib import contextmanager

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from flask_babel import force_locale, gettext
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests import factories, nu

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_WIDTH = 360
PHONE = {
    "viewport": {"width": PHONE_WIDTH, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "locale": "fi-FI",
}
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
LAPTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "fi-FI"}
TIMEOUT_MS = 10_000

_axe = Axe()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class InFlight:
    """WSGI middleware that counts the requests still being answered, so that a test's end
    waits for them: the app's engine is disposed after the test, and a request thread still
    holding a connection then would leave it to the garbage collector, unclosed.

    A request counts until its body is written and closed. (Werkzeug's own close() comes later,
    after it has drained whatever the browser still sends, which can wait for the browser.)"""

    def __init__(self, app):
        self.app = app
        self.paths = []
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO")
        with self.idle:
            self.paths.append(path)
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self._done(path)
            raise
        return self._written(body, path)

    def _written(self, body, path):
        try:
            yield from body
        finally:
            try:
                if hasattr(body, "close"):
                    body.close()
            finally:
                self._done(path)

    def _done(self, path):
        with self.idle:
            self.paths.remove(path)
            self.idle.notify_all()

    def wait(self, timeout=5):
        with self.idle:
            return self.idle.wait_for(lambda: not self.paths, timeout=timeout)


@contextmanager
def serving(app, host="127.0.0.1"):
    """The app served by Werkzeug on a free port in a thread; its base URL at `host`.

    On leaving, the server stops and the requests it is still answering are waited for."""
    in_flight = InFlight(app)
    server = make_server("127.0.0.1", 0, in_flight, threaded=True)
    # A short poll interval: shutdown() waits for the loop to notice, 0.5 s by default.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        assert in_flight.wait(), f"still being answered 5 s after the test: {in_flight.paths}"


@pytest.fixture
def live_server(app):
    """The test's own app, served on 127.0.0.1 at a free port; its base URL."""
    with serving(app) as url:
        yield url


def watched_page(browser, live_server, problems, size=None):
    """A fresh context (phone-sized unless `size` says otherwise) and a page whose server and
    page errors land in `problems`."""
    context = browser.new_context(base_url=live_server, **(size or PHONE))
    context.set_default_timeout(TIMEOUT_MS)

    def on_response(response):
        # Pages may answer 404 or 410 on purpose; their stylesheet or icon may not.
        is_page = response.request.resource_type == "document"
        if response.status >= 500 or (response.status >= 400 and not is_page):
            problems.append(f"{response.status} {response.url}")

    def on_console(message):
        # Errors include Content-Security-Policy violations (inline styles or scripts).
        # A failed load is already judged by on_response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    context.on("response", on_response)
    opened = context.new_page()
    opened.on("console", on_console)
    opened.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return context, opened


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized browser context (no cookies) on the live server."""
    problems = []
    context, opened = watched_page(browser, live_server, problems)
    yield opened
    context.close()
    assert not problems, "the browser saw server or page errors:\n" + "\n".join(problems)


@contextmanager
def watched_devices(browser, live_server, size=None, who="the second phone"):
    """`open()` for more screens (another person's phone, a laptop), each a fresh context
    watched as the `page` fixture is; closed and judged at the end."""
    contexts, problems = [], []

    def open_device():
        context, opened = watched_page(browser, live_server, problems, size)
        contexts.append(context)
        return opened

    yield open_device
    for context in contexts:
        context.close()
    assert not problems, f"{who} saw server or page errors:\n" + "\n".join(problems)


@pytest.fixture
def phone(browser, live_server):
    """`phone()`: another person's phone, a fresh context watched as the `page` fixture is."""
    with watched_devices(browser, live_server) as open_phone:
        yield open_phone


def heading(page):
    return page.get_by_role("heading", level=1).inner_text().strip()


def flashes(page):
    return [text.strip() for text in page.locator(".flashes .flash").all_inner_texts()]


@pytest.fixture
def t(app):
    """`t("Sign in")` in Finnish (what an anonymous fi-FI browser sees); `t(..., lang="en")`.

    Tests compare against the app's own catalogues, so translating a string breaks nothing.
    """

    def translate(msgid, lang="fi", **variables):
        with app.test_request_context(), force_locale(lang):
            return gettext(msgid, **variables)

    return translate


def axe_violations(page):
    return _axe.run(page, options=WCAG_AA).response["violations"]


def describe_violations(violations):
    lines = []
    for violation in violations:
        targets = "; ".join(
            " ".join(str(part) for part in node["target"]) for node in violation["nodes"]
        )
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                     f"-> {targets}")
    return "\n".join(lines)


def assert_accessible(page):
    """Fail with every WCAG 2.1 A/AA violation axe-core finds on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, (
        f"{len(violations)} accessibility violation(s) on {page.url}:\n"
        + describe_violations(violations)
    )


def assert_fits_phone(page):
    """No sideways scrolling on a 360 px wide phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px screen"


def check_page(page):
    """What every page must pass: accessible, no horizontal scroll on a phone, and valid HTML
    (kept for the Nu HTML Checker's one run at the end: tests/nu)."""
    page.wait_for_load_state()  # a click may have started a navigation: check the new page
    assert_fits_phone(page)
    assert_accessible(page)
    nu.keep(page.url, page.content)


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def sign_in(page, t, user, password=factories.PASSWORD, lang="fi"):
    """Sign in through the real form, as a person would; returns after the redirect."""
    page.goto("/auth/sign-in")
    fill_sign_in(page, t, user.email or user.username, password, lang)
    if user.totp_secret:
        page.wait_for_url("**/auth/two-factor**")
        type_code(page, t, user.totp_secret, user.language)  # signed in: the person's language
    page.wait_for_url("**/home")


def type_code(page, t, secret, lang="fi"):
    """Type the authenticator's code. A code works once, so if this person used the current
    one already in this test (another device), type the next one, as the app would show."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    for moment in (now, now + 30):
        page.get_by_label(t("Code", lang), exact=True).fill(totp.at(moment))
        page.locator("main form").get_by_role("button", name=t("Continue", lang),
                                              exact=True).click()
        page.wait_for_load_state()
        if "/auth/two-factor" not in page.url:
            return


def fill_sign_in(page, t, identifier, password, lang="fi"):
    page.get_by_label(t("Email or username", lang), exact=True).fill(identifier)
    page.get_by_label(t("Password", lang), exact=True).fill(password)
    page.locator("main form").get_by_role("button", name=t("Sign in", lang), exact=True).click()
