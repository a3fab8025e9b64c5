"""Forms: Instagram connection, session file, comment file upload, harvest options."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional


class ConnectForm(FlaskForm):
    username = StringField(_l("Instagram account"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    code = StringField(_l("Security code (if Instagram sent one)"),
                       validators=[Optional(), Length(max=12)])
    submit = SubmitField(_l("Connect"))


class SessionFileForm(FlaskForm):
    settings = FileField(_l("instagrapi session file (JSON)"),
                         validators=[FileRequired(), FileAllowed(["json"])])
    submit = SubmitField(_l("Import the session"))


class ImportForm(FlaskForm):
    file = FileField(_l("Comments file (CSV or JSON)"),
                     validators=[FileRequired(), FileAllowed(["csv", "json"])])
    submit = SubmitField(_l("Import"))


class HarvestForm(FlaskForm):
    replies = BooleanField(_l("Also harvest replies to comments"))
    submit = SubmitField(_l("Harvest now"))
