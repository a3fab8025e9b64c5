"""The invited partner's password form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)],
                             description=_l("At least 10 characters."),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password, again"),
                            validators=[DataRequired(),
                                        EqualTo("password", _l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Set my password and log in"))
