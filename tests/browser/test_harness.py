"""The harness itself: the live server answers, and the accessibility check can fail."""

import pytest

from tests.browser.conftest import assert_accessible, assert_fits_phone

pytestmark = pytest.mark.browser


def test_axe_check_fails_on_a_broken_page(page):
    page.set_content('<html><body><img src="x"><button></button></body></html>')
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    report = str(failure.value)
    assert "image-alt (critical)" in report
    assert "button-name (critical)" in report
    assert "img" in report  # the target selectors are listed


def test_axe_check_passes_a_clean_page(page):
    page.set_content('<!doctype html><html lang="en"><head><title>Clean</title></head>'
                     '<body><main><h1>Clean</h1><img src="x" alt="A cat"></main></body></html>')
    assert_accessible(page)


def test_width_check_fails_on_a_page_wider_than_the_phone(page):
    page.set_content('<html lang="en"><head><meta name="viewport" '
                     'content="width=device-width, initial-scale=1"></head>'
                     '<body><div style="width: 900px">wide</div></body></html>')
    with pytest.raises(AssertionError, match=r"is 9\d\dpx wide on a 360px screen"):
        assert_fits_phone(page)


def test_the_live_server_serves_the_tests_own_app(page, live_server):
    response = page.goto("/healthz")
    assert response.status == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert page.url == f"{live_server}/healthz"
