"""The header and footer of every page, rendered once per menu and language and kept.

Every page has the same frame: the language switch, the menu and the footer's links. Rendering
it took a third of a simple page's time (a dozen `url_for`, the menu's permission rules, the
strings). It depends only on what the key below names: the language, who may see which menu
item, the page's own item, the unread count and the area of the footer's links. What is one
person's, the CSRF token and the address to come back to after switching the language, goes
into slots filled for each request.
"""

from typing import NamedTuple

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from peer_groups.auth.guards import second_factor_pending
from peer_groups.notices.queries import unread_count
from peer_groups.permissions import can
from peer_groups.rendered import kept, own_html

# The menu item each part of the app is under (the page's own is marked aria-current).
MENU_ITEMS = {"groups": "groups", "meetings": "groups", "suggestions": "groups",
              "workload": "workload", "reports": "reports", "admin": "admin",
              "notices": "notices", "account": "account"}
# Slots: none of these can come out of the templates otherwise, as nothing typed is in them.
CSRF_SLOT = "{slot:csrf_token}"
NEXT_SLOT = "{slot:language_next}"
# Menus and languages are few: a handful of kilobytes each.
CACHE_SIZE = 500


class Menu(NamedTuple):
    """What one person's menu shows on one page: the key of its kept header."""

    signed_in: bool = False
    pending: bool = False  # a second factor still to give: nothing but "Sign out"
    workload: bool = False
    reports: bool = False
    admin: bool = False
    notices: bool = False
    unread: int = 0
    current: str | None = None


def menu_for(user) -> Menu:
    if not user.is_authenticated:
        return Menu()
    if second_factor_pending():
        return Menu(signed_in=True, pending=True)
    in_area = user.area_id is not None
    notices = can(user, "notices.read")
    current = ("home" if request.endpoint == "main.home"
               else MENU_ITEMS.get(request.blueprint or ""))
    return Menu(
        signed_in=True,
        workload=user.is_superuser or (in_area and can(user, "workload.view", user.area_id)),
        reports=user.is_superuser or (in_area and can(user, "reports.view", user.area_id)),
        admin=can(user, "admin.open"),
        notices=notices,
        unread=unread_now(user) if notices else 0,
        current=current)


def unread_now(user) -> int:
    """As counted when the session was looked up, unless the request changed it since (then
    `unread_notices` is None: counted again)."""
    if user.unread_notices is None:
        return unread_count(user.id)
    return user.unread_notices


def site_header() -> Markup:
    """The page's header for the signed-in person (or nobody), with their own slots filled."""
    menu = menu_for(current_user._get_current_object())
    place = ("header", str(get_locale()), request.script_root, menu)
    header = rendered(place, "_site_header.html", menu=menu)
    return own_html(header.replace(CSRF_SLOT, str(escape(generate_csrf())))
                    .replace(NEXT_SLOT, str(escape(request.full_path.rstrip("?")))))


def site_footer(area_id: int | None = None) -> Markup:
    """The footer's links, to the area's own help and notices when the page is one area's."""
    place = ("footer", str(get_locale()), request.script_root, area_id)
    return own_html(rendered(place, "_site_footer.html", footer_area=area_id))


def rendered(place, template_name: str, **context) -> str:
    parts = kept("site_frame", CACHE_SIZE)
    found = parts.get(place)
    if found is None:
        # Nothing of the person: these fail if the template asks.
        context.update(current_user=None, language_next=NEXT_SLOT,
                       csrf_token=lambda: CSRF_SLOT)
        current_app.update_template_context(context)
        found = current_app.jinja_env.get_template(template_name).render(context)
        parts.put(place, found)
    return found


def init_app(app) -> None:
    app.jinja_env.globals.update(site_header=site_header, site_footer=site_footer)
