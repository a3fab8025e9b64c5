"""Forms: beacon choice at opening, the draw, redeclaration, winners' follow-up."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


class OpenForm(FlaskForm):
    beacon = SelectField(_l("Public randomness"), default="drand", choices=[
        SelectChoice("drand", _l("drand (recommended): the public round at the draw time")),
        SelectChoice("rfc3797", _l("Declared public values (e.g. a lottery draw)")),
        SelectChoice("none", _l("None: commitment only (weaker; admins only)"))])
    draw_time = DateTimeLocalField(_l("Draw time (Paris time; default: 24 h after the close)"),
                                   validators=[Optional()])
    description = StringField(_l("Which public values (for declared values)"),
                              validators=[Length(max=300)])
    commit_only = BooleanField(_l("I understand a draw without public randomness is weaker"))
    submit = SubmitField(_l("Yes, open the contest"))


class DrawForm(FlaskForm):
    values = StringField(_l("Declared public values"), validators=[Length(max=500)],
                         description=_l("Numbers of each source separated by spaces, sources by "
                                        "« / », e.g. 9319 / 2 5 12 8 10"))
    submit = SubmitField(_l("Run the draw"))


class RedeclareForm(FlaskForm):
    draw_time = DateTimeLocalField(_l("New draw time (Paris time)"), validators=[DataRequired()])
    reason = StringField(_l("Reason (shown on the certificate)"),
                         validators=[DataRequired(), Length(min=10, max=500)])
    submit = SubmitField(_l("Declare the new draw time"))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[
        SelectChoice("contacted", _l("contacted")), SelectChoice("claimed", _l("prize claimed")),
        SelectChoice("declined", _l("declined")),
        SelectChoice("no_answer", _l("no answer by the deadline")),
        SelectChoice("disqualified", _l("disqualified"))])
    reason = StringField(_l("Reason"), validators=[Length(max=500)])
    age_confirmed = BooleanField(_l("Checked: the winner is 18 or over"))
    submit = SubmitField(_l("Save"))


class FollowForm(FlaskForm):
    follows = SelectField(_l("Follows the required account?"), choices=[
        SelectChoice("yes", _l("yes")), SelectChoice("no", _l("no"))])
    justification = StringField(_l("How you checked"), validators=[DataRequired(),
                                                                   Length(min=10, max=500)])
    submit = SubmitField(_l("Record"))


def parse_declared_values(text: str) -> list[list[int]]:
    """``"9319 / 2 5 12 8 10"`` → ``[[9319], [2, 5, 12, 8, 10]]``. :raise ValueError:"""
    sources = [part.replace(",", " ").replace(".", " ").split() for part in text.split("/")]
    values = [[int(v) for v in source] for source in sources if source]
    if not values:
        raise ValueError("no value")
    return values
