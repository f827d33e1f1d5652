"""An area's single sign-on: connect it to the county's identity provider, change, disconnect.

For the area's admins and the service owner; each change is audited and asks for the
password again if it was typed a while ago (it decides who can sign in as staff).
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups import unit_of_work
from peer_groups.admin import bp
from peer_groups.areas.models import Area
from peer_groups.auth.forms import ConfirmForm
from peer_groups.auth.guards import ask_again_unless_recent
from peer_groups.db import db
from peer_groups.domain.errors import DomainError
from peer_groups.permissions import require
from peer_groups.refusals import flash_error, message_for
from peer_groups.sso import client, services
from peer_groups.sso.forms import ProviderForm
from peer_groups.sso.messages import MESSAGES
from peer_groups.urls import external_url

FIELD_OF = {"bad_issuer": "issuer", "no_domains": "email_domains", "bad_domain": "email_domains",
            "no_secret": "client_secret"}


@bp.route("/areas/<int:area_id>/sign-on", methods=["GET", "POST"])
@login_required
def area_sso(area_id):
    """Connect the area to its identity provider, or change the connection."""
    area = db.get_or_404(Area, area_id)
    require("sso.connect", area)
    again = ask_again_unless_recent()
    if again is not None:
        return again
    found = services.provider_of_area(area.id)
    form = ProviderForm(obj=found)
    if form.validate_on_submit():
        try:
            services.save_provider(area, current_user, **{name: form[name].data for name in (
                "display_name", "issuer", "client_id", "client_secret", "email_domains",
                "mfa_acr_values")})
        except DomainError as refused:
            unit_of_work.rollback()
            form[FIELD_OF[refused.code]].errors.append(message_for(refused, MESSAGES))
        else:
            flash(_("Saved. Staff of the area can now sign in with %(name)s.",
                    name=form.display_name.data), "success")
            return redirect(url_for("admin.area_sso", area_id=area.id))
    return render_template("admin/sso.html", area=area, form=form, provider=found,
                           confirm=ConfirmForm(), redirect_uri=external_url("sso.callback"))


@bp.route("/areas/<int:area_id>/sign-on/check", methods=["POST"])
@login_required
def check_sso(area_id):
    """Test the connection: the provider's discovery document and keys can be fetched."""
    area = db.get_or_404(Area, area_id)
    require("sso.connect", area)
    found = services.provider_of_area(area.id)
    if found is not None and ConfirmForm().validate_on_submit():
        try:
            client.check_connection(found.issuer)
        except DomainError as refused:
            flash_error(DomainError(refused.code, name=found.display_name), MESSAGES)
        else:
            flash(_("The connection works: %(name)s answered.", name=found.display_name),
                  "success")
    return redirect(url_for("admin.area_sso", area_id=area.id))


@bp.route("/areas/<int:area_id>/sign-on/disconnect", methods=["POST"])
@login_required
def disconnect_sso(area_id):
    """Disconnect the provider: the area's staff sign in with their password and code again."""
    area = db.get_or_404(Area, area_id)
    require("sso.connect", area)
    again = ask_again_unless_recent(back=url_for("admin.area_sso", area_id=area.id))
    if again is not None:
        return again
    if ConfirmForm().validate_on_submit():
        services.disconnect(area, current_user)
        flash(_("Disconnected. Staff of the area sign in with their password again."),
              "success")
    return redirect(url_for("admin.area_sso", area_id=area.id))
