"""Forms: beacon choice at opening, the draw, redeclaration, winners' follow-up."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, RadioField, SelectField, StringField,
                     SubmitField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from giveaway.core.errors import InvalidInput
from giveaway.core.rfc3797 import canonical_value
from giveaway.draws.labels import PUBLIC_REASON_LABELS
from giveaway.main.validation import DateBetween


DEFAULT_SOURCES_TEXT = "5 numéros de l'EuroMillions\n2 étoiles de l'EuroMillions"


def parse_sources(text: str) -> list[tuple[str, int]]:
    """``"5 numéros\n2 étoiles"`` → ``[("numéros", 5), ("étoiles", 2)]``; blank lines skipped.

    :raise ValueError: with the 1-based number of the first line that is not
        « <number> <name> » with a number from 1 to 1,000.
    """
    sources = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split(maxsplit=1)
        if not words:
            continue
        if len(words) != 2 or not words[0].isdigit() or not 1 <= int(words[0]) <= 1000:
            raise ValueError(number)
        sources.append((words[1].strip(), int(words[0])))
    return sources


class OpenForm(FlaskForm):
    beacon = SelectField(_l("Public randomness"), default="drand", choices=[
        SelectChoice("drand", _l("drand (recommended): the public round at the draw time")),
        SelectChoice("rfc3797", _l("Declared public values (e.g. a lottery draw)")),
        SelectChoice("none", _l("None: commitment only (weaker; admins only)"))])
    draw_time = DateTimeLocalField(_l("Draw time (Paris time; default: 24 h after the close)"),
                                   validators=[Optional(), DateBetween()])
    description = StringField(_l("Which public values (for declared values)"),
                              validators=[Length(max=300)],
                              description=_l("e.g. « EuroMillions du mardi 1er décembre 2026 »; "
                                             "default: the first EuroMillions draw 24 h after "
                                             "the close"))
    sources = TextAreaField(_l("Values to be typed in at the draw (declared values)"),
                            default=DEFAULT_SOURCES_TEXT, validators=[Length(max=2000)],
                            description=_l("One source per line: how many values, then its "
                                           "name. The draw will refuse values of another "
                                           "shape."))
    method = SelectField(_l("Selection method"), default="gdraw", choices=[
        SelectChoice("gdraw", _l("gdraw (recommended): seed and public randomness")),
        SelectChoice("rfc3797", _l("RFC 3797: the declared values alone (IETF method)"))])
    commit_only = BooleanField(_l("I understand a draw without public randomness is weaker"))
    submit = SubmitField(_l("Yes, open the contest"))


class DrawForm(FlaskForm):
    values = StringField(_l("Declared public values"), validators=[Length(max=500)],
                         description=_l("The values as published (leading zeros kept), separated "
                                        "by spaces, sources by « / », in the declared order, "
                                        "e.g. 03 17 22 40 48 / 02 09"))
    submit = SubmitField(_l("Run the draw"))


class RedeclareForm(FlaskForm):
    draw_time = DateTimeLocalField(_l("New draw time (Paris time)"),
                                   validators=[DataRequired(), DateBetween()])
    reason = StringField(_l("Reason (shown on the certificate)"),
                         validators=[DataRequired(), Length(min=10, max=500)])
    submit = SubmitField(_l("Declare the new draw time"))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[
        SelectChoice("contacted", _l("contacted")), SelectChoice("claimed", _l("prize claimed")),
        SelectChoice("declined", _l("declined")),
        SelectChoice("no_answer", _l("no answer by the deadline")),
        SelectChoice("disqualified", _l("disqualified"))])
    public_reason = SelectField(
        _l("Public reason (published on the contest's page)"), default="", choices=[
            SelectChoice("", _l("as the status says")),
            *(SelectChoice(code, label) for code, label in PUBLIC_REASON_LABELS.items())],
        description=_l("For a replacement: the only reason the public sees."))
    reason = StringField(_l("Private note (staff only, never published)"),
                         validators=[Length(max=500)])
    age_confirmed = BooleanField(_l("Checked: the winner is 18 or over"))
    submit = SubmitField(_l("Save"))


class FollowForm(FlaskForm):
    """Staff's own follow check; the service checks the answer and the justification."""

    follows = RadioField(_l("Follows the required account"), choices=[
        SelectChoice("yes", _l("yes")), SelectChoice("no", _l("no"))], validate_choice=False)
    justification = StringField(_l("How and when you checked"),
                                validators=[Length(max=500)])
    submit = SubmitField(_l("Record my check"))


def parse_declared_values(text: str) -> list[list[str]]:
    """Return the values typed by staff, each kept as typed (leading zeros survive).

    Sources are separated by « / », values by spaces or commas:
    ``"08 28 51 82 / 2 5 12"`` → ``[["08", "28", "51", "82"], ["2", "5", "12"]]``;
    empty sources are skipped.  Each value must be an RFC 3797 value form
    (digits, digits "." digits, or a text with letters, see
    :mod:`giveaway.core.rfc3797`).
    :raise ValueError: for no value at all, or a value of no accepted form.
    """
    sources = [part.replace(",", " ").split() for part in text.split("/")]
    values = [source for source in sources if source]
    if not values:
        raise ValueError("no value")
    for source in values:
        for value in source:
            try:
                canonical_value(value)
            except InvalidInput as exc:
                raise ValueError(exc.reason) from None
    return values
