"""Markdown rendering for rules documents, sanitised (the text is staff input)."""
import markdown as md
import nh3
from markupsafe import Markup

_TAGS = {"a", "p", "br", "strong", "em", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
         "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td"}


def render_markdown(text: str) -> Markup:
    """Return safe HTML for Markdown ``text``: only basic tags, http(s)/mailto links."""
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}},
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow"))
