"""Admin pages: the list of accounts, creating and editing them."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from wtforms.fields.choices import SelectChoice

from giveaway.admin.forms import UserForm
from giveaway.auth import service
from giveaway.auth.access import ADMIN, declare_access
from giveaway.auth.guards import admin_required
from giveaway.errors import NotFound, ServiceError, ValidationFailed
from giveaway.main.forms_support import show_service_error
from giveaway.partners.service import get_partner, list_partners

bp = Blueprint("admin", __name__, url_prefix="/admin")
declare_access(bp, ADMIN)


def _prepare(form: UserForm) -> None:
    form.partner.choices = [SelectChoice("", "—")] + [SelectChoice(p.slug, p.name)
                                                     for p in list_partners()]


def _partner_of(form: UserForm):
    if not form.partner.data:
        return None
    try:
        return get_partner(form.partner.data)
    except NotFound:
        raise ValidationFailed({"partner": _("Unknown partner.")}) from None


@bp.route("/users")
@admin_required
def users():
    """Every account with its role."""
    return render_template("admin/users.html", users=service.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user():
    """Create an account."""
    form = UserForm()
    _prepare(form)
    if form.validate_on_submit():
        try:
            if not form.password.data:
                raise ValidationFailed({"password": _("A password is required.")})
            user = service.create_user(form.email.data, form.password.data, form.role.data,
                                       _partner_of(form), actor=service.actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    """Change an account's role, partner, state or password."""
    try:
        user = service.get_user(user_id)
    except NotFound:
        abort(404)
    form = UserForm(obj=user)
    _prepare(form)
    form.email.render_kw = {"readonly": True}
    if not form.is_submitted():
        form.partner.data = user.partner.slug if user.partner else ""
    if form.validate_on_submit():
        try:
            if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
                raise ValidationFailed({"role": _("You cannot remove your own admin access.")})
            service.update_user(user, form.role.data, _partner_of(form), form.active.data,
                                form.password.data or None, service.actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            if user.id == current_user.id and form.password.data:
                login_user(user)  # a new password ends the other sessions, not this one
            flash(_("Account saved."), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, user=user)
