"""The words for each refusal of single sign-on. `%(name)s` is the provider's name."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "provider_unreachable": _l("We could not reach %(name)s just now. Try again in a moment, "
                               "or sign in with your password."),
    "provider_refused": _l("%(name)s did not sign you in. Start again, or sign in with your "
                           "password."),
    "state_mismatch": _l("This sign-in did not start here, or it was already used. Start "
                         "again from the sign-in page."),
    "token_invalid": _l("We could not trust the answer from %(name)s, so you are not signed "
                        "in. Start again from the sign-in page."),
    "no_email": _l("%(name)s did not tell us your email address, so we cannot sign you in. "
                   "Ask your admin."),
    "email_unverified": _l("%(name)s has not confirmed your email address, so we cannot sign "
                           "you in with it. Ask your admin."),
    "domain_not_covered": _l("Your email address is not one that %(name)s signs in here. "
                             "Use your own area's sign-in, or your password."),
    "unknown_person": _l("We found no staff account with your email address. Your admin adds "
                         "staff to the service: ask them."),
    "other_area": _l("Your account belongs to another area. Sign in with your own area's "
                     "button, or with your password."),
    # Connecting a provider (the admin's form).
    "bad_issuer": _l("Write the issuer's address, starting with https://."),
    "no_domains": _l("Write at least one email domain, for example hyvinvointialue.fi."),
    "bad_domain": _l("\"%(domain)s\" is not an email domain. Write it like "
                     "hyvinvointialue.fi."),
    "no_secret": _l("Write the client secret."),
}
