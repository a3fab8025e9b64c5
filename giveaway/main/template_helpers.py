"""Jinja filters and globals: Paris times, status names, Markdown."""
import re
import unicodedata
from datetime import datetime

import segno
from flask import Flask
from markupsafe import Markup, escape
from flask_babel import get_locale

from giveaway.admin.forms import ROLE_CHOICES
from giveaway.contests.labels import status_label
from giveaway.core.encoding import parse_timestamp
from giveaway.core.errors import InvalidInput
from giveaway.draws.labels import (candidate_status_label, followup_sentence, public_operator,
                                   public_reason_label, timestamp_subject_label)
from giveaway.draws.masking import hidden_in_handle, plain_visible_handle
from giveaway.eligibility.labels import decision_label, flag_label, reason_label, reason_sentence
from giveaway.harvest.labels import end_reason_label, run_status_label
from giveaway.i18n import format_moment, format_number
from giveaway.main.markdown import render_markdown


def paris_time(moment: datetime | None, fmt: str = "medium") -> str:
    """A UTC datetime shown in Europe/Paris, in the interface language (English as British);
    ``"full"`` reads « mardi 1er décembre 2026 à 20 h 00 ». See :mod:`giveaway.i18n`."""
    if moment is None:
        return "—"
    return format_moment(moment, fmt)


def paris_stamp(stamp: str, fmt: str = "medium") -> str:
    """An ISO 8601 timestamp string (as certificates write them) shown in Paris time."""
    try:
        return paris_time(parse_timestamp(stamp, "timestamp"), fmt)
    except InvalidInput:
        return str(stamp)


_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c]")


def visible_text(text: str) -> Markup:
    """Comment text, escaped, with invisible and direction-changing characters shown as codes.

    Comment text is hostile: the escaping stops HTML, and showing ``U+202E``
    instead of obeying it stops a comment from reversing what staff read.
    """
    escaped = str(escape(text))
    return Markup(_CONTROLS.sub(
        lambda m: f'<span class="badge text-bg-warning">U+{ord(m.group()):04X}</span>', escaped))


def visible_handle(handle: str | None, plain: bool = False) -> Markup | str:
    """A username, escaped, with every invisible or direction-changing character as a code.

    Stricter than :func:`visible_text`: in a handle any format, control or
    separator character (``U+202E``, ``U+200B``, a space, a Hangul filler…)
    is shown as a ``U+XXXX`` badge, and a handle with such a character or a
    right-to-left letter is isolated in ``<bdi>`` so that it cannot reorder
    what is around it. ``plain``
    gives text (``[U+202E]``) for places that cannot hold HTML, such as a
    page title.
    """
    text = str(handle or "")
    if plain:
        return plain_visible_handle(text)
    parts = [f'<span class="badge text-bg-warning">U+{ord(c):04X}</span>'
             if hidden_in_handle(c) else str(escape(c)) for c in text]
    isolate = any(hidden_in_handle(c) or unicodedata.bidirectional(c) in ("R", "AL", "AN")
                  for c in text)
    return Markup("<bdi>" + "".join(parts) + "</bdi>" if isolate else "".join(parts))


def role_label(role: str) -> str:
    """An account's role (``admin``, ``staff``, ``partner``) in words."""
    return next((str(choice.label) for choice in ROLE_CHOICES if choice.value == role), role)


def register(app: Flask) -> None:
    """Install the filters and globals on ``app``."""
    app.add_template_filter(paris_time, "paris")
    app.add_template_filter(render_markdown, "markdown")
    for label in (status_label, run_status_label, candidate_status_label, public_reason_label,
                  role_label, end_reason_label):
        app.add_template_filter(label, label.__name__)
    app.add_template_filter(format_number, "thousands")
    app.add_template_filter(visible_text, "visible_text")
    app.add_template_filter(visible_handle, "visible_handle")
    app.add_template_global(public_operator, "public_operator")
    app.add_template_filter(lambda url: segno.make(url, error="m").svg_data_uri(scale=3),
                            "qr_data_uri")
    app.add_template_global(get_locale, "current_locale")
    for label in (reason_sentence, reason_label, flag_label, decision_label):
        app.add_template_global(label, label.__name__)
    app.add_template_filter(paris_stamp, "paris_stamp")
    app.add_template_global(followup_sentence, "followup_sentence")
    app.add_template_global(timestamp_subject_label, "timestamp_subject_label")
