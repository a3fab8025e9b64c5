"""User management forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

ROLE_CHOICES = [SelectChoice("staff", _l("Staff")), SelectChoice("admin", _l("Administrator")),
                SelectChoice("partner", _l("Partner"))]


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    partner = SelectField(_l("Partner (for partner users)"), choices=[], validate_choice=False)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=1024)],
                             description=_l("At least 10 characters. Leave empty to keep it."))
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))
