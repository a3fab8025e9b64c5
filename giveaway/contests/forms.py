"""Contest forms. They parse input; the service decides what is valid.

Field order is the order the form is read in (the templates render fields in this
order), and the submit button is always last.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, IntegerField, RadioField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from giveaway.main.validation import DateBetween, Storable

DELIVERY_CHOICES = [SelectChoice("pickup", _l("Pick-up on site")),
                    SelectChoice("postal", _l("Sent by post"))]


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as one checkbox per option (no Ctrl-click list)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ContestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), Storable()])
    public_id = StringField(
        _l("Public identifier"), validators=[Optional(), Length(max=80), Storable()],
        description=_l("Used in public links; cannot change later. Empty: made from the title."))
    partner_slugs = CheckboxListField(_l("Partners"),
                                      description=_l("Tick every partner of this contest."))
    organiser_handle = StringField(_l("Organiser's Instagram account"),
                                   validators=[DataRequired(), Length(max=31), Storable()])
    post_urls = TextAreaField(_l("Post links"), validators=[Length(max=3000),
                                                            Storable(single_line=False)],
                              description=_l("One Instagram post or reel link per line."),
                              render_kw={"rows": 3})
    opens_at = DateTimeLocalField(_l("Opens (Paris time)"),
                                  validators=[InputRequired(), DateBetween()])
    closes_at = DateTimeLocalField(_l("Closes (Paris time)"),
                                   validators=[InputRequired(), DateBetween()])
    prize_description = TextAreaField(_l("Prize"), validators=[Optional(), Length(max=5000),
                                                               Storable(single_line=False)],
                                      render_kw={"rows": 3})
    prize_delivery = RadioField(_l("How winners get the prize"), default="pickup",
                                choices=DELIVERY_CHOICES)
    prize_pickup_place = StringField(
        _l("Pick-up place"), validators=[Optional(), Length(max=200), Storable()],
        description=_l("Where and when winners collect the prize, e.g. « Office de tourisme "
                       "d'Auch, du lundi au vendredi »."))
    winners = IntegerField(_l("Winners"), default=1,
                           validators=[InputRequired(), NumberRange(min=1, max=1000)])
    alternates = IntegerField(_l("Alternates (suppléants)"), default=3,
                              validators=[InputRequired(), NumberRange(min=0, max=1000)])
    alcohol_prize = BooleanField(_l("The prize is alcohol (Loi Evin: entrants 18+)"))
    submit = SubmitField(_l("Save"))


class NewContestForm(ContestForm):
    rules_text = TextAreaField(
        _l("Rules (Markdown)"), validators=[Optional(), Length(max=200_000),
                                            Storable(single_line=False)],
        description=_l("The règlement. You can also write it later; it is frozen at opening."),
        render_kw={"rows": 12})
    fill_rules = SubmitField(_l("Fill with the template"))
    # Declared again so that it comes after the rules, as the form is read.
    submit = SubmitField(_l("Save"))


class RulesForm(FlaskForm):
    text = TextAreaField(_l("Rules (Markdown)"),
                         validators=[DataRequired(), Length(max=200_000),
                                     Storable(single_line=False)],
                         render_kw={"rows": 20})
    submit = SubmitField(_l("Save a new version"))


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token is the confirmation."""

    submit = SubmitField(_l("Confirm"))
