"""Staff pages for partners."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from giveaway.auth.access import STAFF, declare_access
from giveaway.auth.guards import staff_required
from giveaway.auth.service import actor_of
from giveaway.errors import NotFound, ServiceError
from giveaway.main.forms_support import show_service_error
from giveaway.partners import service
from giveaway.partners.forms import PartnerForm

bp = Blueprint("partners", __name__, url_prefix="/partners")
declare_access(bp, STAFF)  # who may enter: giveaway.auth.access


def _data_from(form: PartnerForm) -> service.PartnerData:
    return service.PartnerData(
        slug=form.slug.data or "", name=form.name.data or "", contact=form.contact.data or "",
        description=form.description.data or "", logo_url=form.logo_url.data,
        instagram_handle=form.instagram_handle.data)


@bp.route("/")
@staff_required
def index():
    """All partners."""
    return render_template("partners/index.html", partners=service.list_partners())


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def create():
    """Register a partner."""
    form = PartnerForm()
    if form.validate_on_submit():
        try:
            partner = service.create_partner(_data_from(form), actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Partner %(name)s registered.", name=partner.name), "success")
            return redirect(url_for(".index"))
    return render_template("partners/form.html", form=form, partner=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit(slug: str):
    """Edit a partner (the identifier stays)."""
    try:
        partner = service.get_partner(slug)
    except NotFound:
        abort(404)
    form = PartnerForm(obj=partner)
    form.slug.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            service.update_partner(partner, _data_from(form), actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Partner saved."), "success")
            return redirect(url_for(".index"))
    return render_template("partners/form.html", form=form, partner=partner)
