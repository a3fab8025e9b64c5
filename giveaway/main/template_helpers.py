"""Jinja filters and globals: Paris times, status names, Markdown."""
from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, format_decimal, get_locale

from giveaway.contests.labels import STATUS_LABELS
from giveaway.harvest.labels import RUN_STATUS_LABELS
from giveaway.main.markdown import render_markdown


def paris_time(moment: datetime | None, fmt: str = "medium") -> str:
    """A UTC datetime shown in Europe/Paris, in the interface language."""
    if moment is None:
        return "—"
    return format_datetime(moment, fmt)


def register(app: Flask) -> None:
    """Install the filters and globals on ``app``."""
    app.add_template_filter(paris_time, "paris")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(lambda status: STATUS_LABELS.get(status, status), "status_label")
    app.add_template_filter(lambda status: RUN_STATUS_LABELS.get(status, status),
                            "run_status_label")
    app.add_template_filter(format_decimal, "thousands")
    app.add_template_global(get_locale, "current_locale")
