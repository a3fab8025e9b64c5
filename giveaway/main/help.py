"""The help menu: the French guide « Premier jeu-concours », rendered in the app for staff.

The guide's source is ``docs/guide-fr.md`` with its screenshots in ``docs/guide/`` (what the
README links to and GitHub shows). The installed package carries an identical copy:
``giveaway/main/guide-fr.md`` and ``giveaway/static/guide/*.png`` (``make guide-copy``;
``tests/test_help_guide.py`` fails when the copies differ). The guide's image links are
relative (``guide/01-partenaire.png``), which GitHub resolves beside the Markdown file; here
they are pointed at the static copies.
"""
from __future__ import annotations

from pathlib import Path

import markdown as md
import nh3
from flask import Blueprint, render_template, url_for
from markupsafe import Markup

from giveaway.auth.access import STAFF, declare_access
from giveaway.auth.guards import staff_required

bp = Blueprint("help", __name__, url_prefix="/help")
declare_access(bp, STAFF)  # who may enter: giveaway.auth.access

GUIDE = Path(__file__).with_name("guide-fr.md")
IMAGES = "guide/"  # the folder of the screenshots, relative to the guide, as written in it
_TAGS = {"a", "p", "br", "strong", "em", "ul", "ol", "li", "h1", "h2", "h3", "h4", "blockquote",
         "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "img"}


def _image_source(element: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: an image is one of the guide's screenshots, served as static files
    (anything else is dropped); other attributes pass as nh3 already checked them."""
    if element != "img" or attribute != "src":
        return value
    name = value.removeprefix(IMAGES)
    if not value.startswith(IMAGES) or "/" in name or not name.endswith(".png"):
        return None
    return url_for("static", filename=IMAGES + name)


def render_guide(text: str) -> Markup:
    """Return safe HTML for the guide's Markdown ``text``: the tags of a document, http(s)
    and mailto links, and images only from the guide's own screenshots."""
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(
        html, tags=_TAGS, attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
        url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow",
        attribute_filter=_image_source,
        set_tag_attribute_values={"img": {"class": "img-fluid border rounded my-2",
                                          "loading": "lazy"}}))


@bp.route("/")
@staff_required
def guide():
    """The guide « Premier jeu-concours » (in French whatever the page's language)."""
    return render_template("main/guide.html", guide=render_guide(GUIDE.read_text("utf-8")))
