"""Admin pages: the list of accounts, creating and editing them.

A new partner account gets an invitation link by default (the person chooses the
password); staff and administrators get a password typed by the admin.
"""
import re

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from wtforms.fields.choices import SelectChoice

from giveaway.admin.forms import NewUserForm, UserForm
from giveaway.auth import service
from giveaway.auth.access import ADMIN, declare_access
from giveaway.auth.guards import admin_required
from giveaway.auth.models import User
from giveaway.dashboard import invites
from giveaway.errors import NotFound, ServiceError, ValidationFailed
from giveaway.extensions import db
from giveaway.main.forms_support import merge_errors, show_service_error
from giveaway.partners.service import get_partner, list_partners

bp = Blueprint("admin", __name__, url_prefix="/admin")
declare_access(bp, ADMIN)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _prepare(form: UserForm) -> None:
    form.partner.choices = [SelectChoice("", "—")] + [SelectChoice(p.slug, p.name)
                                                     for p in list_partners()]


def _partner_of(form: UserForm):
    """The chosen partner; None when none is chosen or the role is not « partner »
    (the partner list is hidden then, whatever it still holds)."""
    if not form.partner.data or form.role.data != "partner":
        return None
    try:
        return get_partner(form.partner.data)
    except NotFound:
        raise ValidationFailed({"partner": _("Unknown partner.")}) from None


def _account_errors(form: UserForm, new: bool) -> dict[str, str]:
    """What the account service would refuse, checked before it runs, so that every problem
    of the form shows at once (each on its field)."""
    errors: dict[str, str] = {}
    try:
        partner = _partner_of(form)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        partner = None
    if form.role.data == "partner" and partner is None and "partner" not in errors:
        errors["partner"] = _("Choose the partner of this account.")
    password = form.password.data or ""
    wants_password = not new or form.setup.data == "password"
    if new and form.setup.data == "invite" and form.role.data != "partner":
        errors["setup"] = _("An invitation is for partner accounts: set a password for staff "
                            "and administrators.")
    elif new and wants_password and not password:
        errors["password"] = _("Type a password of at least %(n)d characters.",
                               n=service.MIN_PASSWORD_LENGTH)
    if wants_password and password and len(password) < service.MIN_PASSWORD_LENGTH:
        errors["password"] = _("The password must have at least %(n)d characters.",
                               n=service.MIN_PASSWORD_LENGTH)
    if new:
        email = (form.email.data or "").strip().lower()
        if not _EMAIL.match(email):
            errors["email"] = _("Enter a valid e-mail address.")
        elif db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
            errors["email"] = _("An account already uses the e-mail %(email)s.", email=email)
    return errors


@bp.route("/users")
@admin_required
def users():
    """Every account with its role."""
    return render_template("admin/users.html", users=service.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user():
    """Create an account; ``?partner=<slug>`` preselects a partner account for that partner.

    A partner account created with « Send an invitation » has no password: the page
    shows its invitation link and a message ready to send.
    """
    form = NewUserForm()
    _prepare(form)
    if not form.is_submitted():
        slug = request.args.get("partner", "")
        if slug and slug in {choice.value for choice in form.partner.choices}:
            form.role.data, form.partner.data = "partner", slug
        form.setup.data = "invite" if form.role.data == "partner" else "password"
    elif "setup" not in request.form:  # a client that only knows the password field
        form.setup.data = "password" if form.password.data else "invite"
    if form.is_submitted() and not _validate_new(form):
        actor = service.actor_of(current_user)
        try:
            if form.setup.data == "invite":
                made = invites.invite_new_partner_user(form.email.data, _partner_of(form), actor)
            else:
                user = service.create_user(form.email.data, form.password.data, form.role.data,
                                           _partner_of(form), actor=actor)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            if form.setup.data == "invite":
                return render_template(
                    "dashboard/invite_link.html", invite=made, created=True,
                    link=url_for("dashboard.invite", token=made.token, _external=True))
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, user=None)


def _validate_new(form: NewUserForm) -> bool:
    """Run the form's and the account checks together; True when any failed."""
    form.validate()
    return merge_errors(form, _account_errors(form, new=True))


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
    if form.is_submitted():
        form.validate()
        errors = _account_errors(form, new=False)
        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            errors.setdefault("role", _("You cannot remove your own admin access."))
        if not merge_errors(form, errors):
            try:
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
