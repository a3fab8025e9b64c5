"""Forms: the eligibility rules, a manual decision, the block list."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, IntegerField, SelectField, StringField, SubmitField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from giveaway.main.validation import Storable


class EligibilityForm(FlaskForm):
    counting = SelectField(_l("What counts"), choices=[
        SelectChoice("per_account", _l("One entry per account")),
        SelectChoice("per_comment", _l("Each valid comment (capped per account)"))])
    max_entries_per_account = IntegerField(
        _l("Cap per account (each comment counts)"),
        validators=[Optional(), NumberRange(min=1, max=10_000)])
    min_mentions = IntegerField(_l("Minimum distinct mentions of other accounts"), default=0,
                                validators=[InputRequired(), NumberRange(min=0, max=50)])
    mentions_must_be_new = BooleanField(
        _l("An account already tagged by the same person in an earlier comment does not count "
           "again"))
    required_hashtags = StringField(_l("Required hashtags"),
                                    validators=[Length(max=500), Storable()],
                                    description=_l("Separated by spaces, e.g. #concours #gers"))
    required_keywords = TextAreaField(_l("Required keywords (one per line)"),
                                      validators=[Length(max=2000),
                                                  Storable(single_line=False)])
    match_accent_insensitive = BooleanField(_l("Ignore accents when matching"), default=True)
    replies_count = BooleanField(_l("Replies to other comments count"))
    staff_handles = TextAreaField(_l("Excluded staff accounts (one per line)"),
                                  validators=[Length(max=5000), Storable(single_line=False)])
    excluded_user_ids = TextAreaField(_l("Other excluded user ids (one per line)"),
                                      validators=[Length(max=5000), Storable(single_line=False)])
    recent_winner_days = IntegerField(
        _l("Exclude accounts that won one of our contests in the last N days (0: no)"),
        default=0, validators=[InputRequired(), NumberRange(min=0, max=3650)])
    must_follow = SelectField(_l("Must follow"), choices=[
        SelectChoice("none", _l("Nobody")), SelectChoice("organiser", _l("The organiser")),
        SelectChoice("partner", _l("The partner")), SelectChoice("both", _l("Both"))],
        description=_l("Checked on the drawn candidates only, at draw time."))
    submit = SubmitField(_l("Save the rules"))


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[
        SelectChoice("exclude", _l("Exclude this entry")),
        SelectChoice("include", _l("Count this entry"))])
    justification = TextAreaField(_l("Justification (shown in the ledger)"),
                                  validators=[DataRequired(), Length(min=10, max=2000),
                                              Storable(single_line=False)])
    submit = SubmitField(_l("Record the decision"))


class BlockForm(FlaskForm):
    value = StringField(_l("@account or numeric user id"),
                        validators=[DataRequired(), Length(max=64), Storable()])
    reason = StringField(_l("Reason"), validators=[Length(max=500), Storable()])
    submit = SubmitField(_l("Block on every contest"))
