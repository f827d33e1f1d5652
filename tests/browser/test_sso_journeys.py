"""A staff member signs in on a phone through the area's identity provider (a real one,
oidc-provider-mock, in a process of its own) and signs out of both."""

import pytest

from peer_groups.domain.roles import Role
from tests.browser.conftest import check_page, heading
from tests.oidc import connect, provider_process, set_claims  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def test_a_worker_signs_in_with_the_countys_account_and_out_of_it(page, t, app, make,
                                                                 provider_process):  # noqa: F811
    area = make.area()
    worker = make.user(Role.WORKER, area=area, language="fi")
    connect(app, area, provider_process, name="Hyvinvointialue ID")
    set_claims(provider_process, "olli", email=worker.email, email_verified=True,
               amr=["pwd", "mfa"])
    page.goto("/auth/sign-in")
    check_page(page)
    page.get_by_role("link", name=t("Sign in with %(name)s", name="Hyvinvointialue ID")).click()
    # The provider's own page takes its stylesheet from the internet: do not wait for it.
    page.wait_for_url(f"{provider_process}/oauth2/authorize**", wait_until="commit")
    page.get_by_placeholder("sub").fill("olli")
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url("**/home")  # the provider vouched for two factors: no code asked here

    page.get_by_role("navigation").get_by_role("button", name=t("Sign out")).click()
    page.wait_for_load_state()
    assert heading(page) == t("You have signed out")
    check_page(page)
    page.get_by_role("link", name=t("Sign out of %(name)s too", name="Hyvinvointialue ID")).click()
    page.wait_for_url(f"{provider_process}/oauth2/end_session**", wait_until="commit")
