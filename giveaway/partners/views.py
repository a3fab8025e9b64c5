"""Staff pages for partners."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from giveaway.auth.access import STAFF, declare_access
from giveaway.auth.guards import staff_required
from giveaway.auth.service import actor_of
from giveaway.errors import NotFound, ServiceError
from giveaway.main.forms_support import merge_errors, show_service_error
from giveaway.partners import service
from giveaway.partners.forms import PartnerForm

bp = Blueprint("partners", __name__, url_prefix="/partners")
declare_access(bp, STAFF)  # who may enter: giveaway.auth.access


def _data_from(form: PartnerForm) -> service.PartnerData:
    return service.PartnerData(
        slug=form.slug.data or "", name=form.name.data or "", contact=form.contact.data or "",
        description=form.description.data or "", logo_url=form.logo_url.data,
        instagram_handle=form.instagram_handle.data)


def _checked(form: PartnerForm, new: bool, slug: str = "") -> bool:
    """Run the form's and the service's checks together (every error on its field, in one
    round); True when all pass."""
    form.validate()
    data = service.clean(_data_from(form))
    if not new:
        data.slug = slug
    return not merge_errors(form, service.partner_errors(data, new=new))


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
    if form.is_submitted() and _checked(form, new=True):
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
    if form.is_submitted() and _checked(form, new=False, slug=partner.slug):
        try:
            service.update_partner(partner, _data_from(form), actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Partner saved."), "success")
            return redirect(url_for(".index"))
    return render_template("partners/form.html", form=form, partner=partner)
