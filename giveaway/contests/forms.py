"""Contest forms. They parse input; the service decides what is valid."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, IntegerField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from giveaway.main.validation import DateBetween, Storable


class ContestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), Storable()])
    public_id = StringField(
        _l("Public identifier"), validators=[Optional(), Length(max=80), Storable()],
        description=_l("Used in public links; cannot change later. Empty: made from the title."))
    partner_slugs = SelectMultipleField(_l("Partners"), validators=[DataRequired()])
    organiser_handle = StringField(_l("Organiser's Instagram account"),
                                   validators=[DataRequired(), Length(max=31), Storable()])
    post_urls = TextAreaField(_l("Post links"), validators=[DataRequired(), Length(max=3000),
                                                            Storable(single_line=False)],
                              description=_l("One Instagram post or reel link per line."))
    opens_at = DateTimeLocalField(_l("Opens (Paris time)"),
                                  validators=[InputRequired(), DateBetween()])
    closes_at = DateTimeLocalField(_l("Closes (Paris time)"),
                                   validators=[InputRequired(), DateBetween()])
    prize_description = TextAreaField(_l("Prize"), validators=[Optional(), Length(max=5000),
                                                               Storable(single_line=False)])
    winners = IntegerField(_l("Winners"), default=1,
                           validators=[InputRequired(), NumberRange(min=1, max=1000)])
    alternates = IntegerField(_l("Alternates (suppléants)"), default=3,
                              validators=[InputRequired(), NumberRange(min=0, max=1000)])
    alcohol_prize = BooleanField(_l("The prize is alcohol (Loi Evin: entrants 18+)"))
    submit = SubmitField(_l("Save"))


class RulesForm(FlaskForm):
    text = TextAreaField(_l("Rules (Markdown)"),
                         validators=[DataRequired(), Length(max=200_000),
                                     Storable(single_line=False)])
    submit = SubmitField(_l("Save a new version"))


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token is the confirmation."""

    submit = SubmitField(_l("Confirm"))


class NewContestForm(ContestForm):
    rules_text = TextAreaField(
        _l("Rules (Markdown)"), validators=[Optional(), Length(max=200_000),
                                            Storable(single_line=False)],
        description=_l("The règlement. You can also write it later; it is frozen at opening."))
