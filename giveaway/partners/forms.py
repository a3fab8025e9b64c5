"""Partner form. The name comes first: the identifier is suggested from it."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from giveaway.main.validation import Storable


class PartnerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), Storable()],
                       description=_l("As the public will read it, e.g. « Les Vignerons du "
                                      "Gers »."))
    slug = StringField(_l("Identifier"), validators=[Optional(), Length(max=64), Storable()],
                       description=_l("Used in links; lowercase letters, digits and hyphens. "
                                      "Made from the name if left empty. It cannot change "
                                      "later."),
                       render_kw={"data-slug-from": "name", "maxlength": 64,
                                  "autocapitalize": "none", "spellcheck": "false"})
    instagram_handle = StringField(_l("Instagram account"),
                                   validators=[Optional(), Length(max=31), Storable()],
                                   description=_l("Without the @, e.g. vins_du_gers."))
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=300), Storable()],
                          description=_l("Who to reach at the partner (name, e-mail, phone); "
                                         "seen by staff only."))
    description = TextAreaField(_l("Short description"),
                                validators=[Optional(), Length(max=2000),
                                            Storable(single_line=False)],
                                render_kw={"rows": 3})
    logo_url = StringField(_l("Logo address (https://…)"),
                           validators=[Optional(), Length(max=500), Storable()])
    submit = SubmitField(_l("Save"))
