"""User management forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

ROLE_CHOICES = [SelectChoice("staff", _l("Staff")), SelectChoice("admin", _l("Administrator")),
                SelectChoice("partner", _l("Partner"))]
SETUP_CHOICES = [SelectChoice("invite", _l("Send an invitation: the person chooses the password "
                                           "(partner accounts)")),
                 SelectChoice("password", _l("Set a password now"))]


class UserForm(FlaskForm):
    """Editing an account: an empty password keeps the current one."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "off"})
    role = SelectField(_l("Role"), choices=ROLE_CHOICES,
                       description=_l("Staff run contests; administrators also manage accounts; "
                                      "a partner only sees its own contests' dashboard."))
    partner = SelectField(_l("Partner"), choices=[], validate_choice=False,
                          description=_l("For a partner account only: the partner whose "
                                         "dashboard it sees."))
    password = PasswordField(_l("New password"), validators=[Optional(), Length(max=1024)],
                             description=_l("At least 10 characters. Leave empty to keep the "
                                            "current password."),
                             render_kw={"autocomplete": "new-password"})
    active = BooleanField(_l("Active"), default=True,
                          description=_l("An inactive account can no longer log in."))
    submit = SubmitField(_l("Save"))


class NewUserForm(UserForm):
    """Creating an account: a partner gets an invitation link by default, no password."""

    setup = RadioField(_l("Password"), choices=SETUP_CHOICES, default="invite")
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=1024)],
                             description=_l("At least 10 characters. Give it to the person "
                                            "by a safe means."),
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Create the account"))
