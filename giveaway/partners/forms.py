"""Partner form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from giveaway.main.validation import Storable


class PartnerForm(FlaskForm):
    slug = StringField(_l("Identifier"), validators=[DataRequired(), Length(max=64),
                                                             Storable()],
                       description=_l("Lowercase letters, digits and hyphens; used in links."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), Storable()])
    instagram_handle = StringField(_l("Instagram account"),
                                   validators=[Optional(), Length(max=31), Storable()])
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=300), Storable()])
    description = TextAreaField(_l("Short description"),
                                validators=[Optional(), Length(max=2000),
                                            Storable(single_line=False)])
    logo_url = StringField(_l("Logo address (https://…)"),
                           validators=[Optional(), Length(max=500), Storable()])
    submit = SubmitField(_l("Save"))
