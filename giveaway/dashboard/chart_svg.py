"""The timeline of :mod:`.charts` drawn as a standalone SVG bar chart with pygal.

The SVG is served from its own URL and shown with ``<img>``: it carries pygal's
inline ``<style>`` (allowed by that response's own Content-Security-Policy) and
no script at all, so the pages keep the app's strict policy.
"""
from __future__ import annotations

import sys

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from giveaway.dashboard.charts import Timeline
from giveaway.i18n import format_number

# pygal appends a sys.meta_path finder (for its map plugins, unused here) that has no
# find_spec(): every later failed optional import then warns (an error under the tests'
# filterwarnings = error). Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]


def describe(line: Timeline) -> str:
    """The chart's text alternative: the totals and what one bar stands for."""
    numbers = dict(comments=format_number(line.comments), counted=format_number(line.counted))
    if line.hourly:
        return _("Comments (%(comments)s in all) and counted entries (%(counted)s in all), per "
                 "hour, Paris time. The table under the chart gives the same numbers.", **numbers)
    return _("Comments (%(comments)s in all) and counted entries (%(counted)s in all), per "
             "day, Paris time. The table under the chart gives the same numbers.", **numbers)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _strip_scripts_and_describe(description: str):
    """An XML filter: drop pygal's scripts (never run from an <img>) and add a <desc>."""
    def xml_filter(root):
        for parent in list(root.iter()):
            for child in [c for c in parent if _local(c.tag) == "script"]:
                parent.remove(child)
        children = list(root)
        where = next((i + 1 for i, c in enumerate(children) if _local(c.tag) == "title"), 0)
        namespace = root.tag[:-len("svg")] if root.tag.endswith("}svg") else ""
        desc = root.makeelement(namespace + "desc", {})
        desc.text = description
        root.insert(where, desc)
        root.set("role", "img")
        return root
    return xml_filter


def _style() -> Style:
    return Style(background="white", plot_background="white", foreground="#212529",
                 foreground_strong="#212529", foreground_subtle="#adb5bd",
                 colors=("#4a6fa5", "#198754"), font_family="system-ui, sans-serif",
                 label_font_size=12, major_label_font_size=12, legend_font_size=14,
                 title_font_size=16)


def render_svg(line: Timeline, title: str) -> bytes:
    """A standalone SVG bar chart (no script, no external resource) of the timeline."""
    labels = [b.label for b in line.buckets]
    # Labelled: every sixth hour, or every day (every n-th past 16 days): rotated labels
    # need the room.
    step = 6 if line.hourly else max(1, -(-len(labels) // 16))
    major = [label for i, label in enumerate(labels) if i % step == 0]
    chart = pygal.Bar(js=[], width=960, height=420, explicit_size=True, title=title,
                      x_label_rotation=35, legend_at_bottom=True, show_minor_x_labels=False,
                      x_labels_major=major, truncate_label=-1, style=_style(),
                      no_data_text=_("No comment yet"), min_scale=1)
    chart.x_labels = labels
    chart.add(_("Comments"), [b.comments for b in line.buckets])
    chart.add(_("Counted entries"), [b.counted for b in line.buckets])
    chart.add_xml_filter(_strip_scripts_and_describe(describe(line)))
    return chart.render()
