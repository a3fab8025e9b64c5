"""The certificate as a PDF you can print and scan, in French or in English.

Words, never codes: statuses, reasons and notices go through Flask-Babel in
the language asked for. The layout (fonts, QR block, tables) lives in
:mod:`giveaway.draws.pdf_layout`.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from flask import current_app, has_request_context
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from giveaway.core.encoding import parse_timestamp
from giveaway.core.errors import InvalidInput
from giveaway.draws.labels import CANDIDATE_STATUS_LABELS, followup_sentence, public_operator
from giveaway.draws.masking import plain_visible_handle
from giveaway.draws.pdf_layout import MUTED, CertificateLayout
from giveaway.draws.pdf_words import notice_text
from giveaway.eligibility.labels import reason_label
from giveaway.i18n import format_moment, format_number

LANGUAGES = ("fr", "en")


def certificate_pdf(document: dict[str, Any], page_url: str, lang: str | None = None,
                    statuses: Mapping[int, str] | None = None,
                    followups: Iterable[dict[str, Any]] = ()) -> bytes:
    """Render the signed certificate ``document`` as PDF bytes.

    :param page_url: the certificate's public page, printed and encoded in the QR code.
    :param lang: ``"fr"`` or ``"en"``; anything else (or None) means the visitor's
        language in a request, French by default and outside requests.
    :param statuses: each drawn person's current status by position (default: as at the draw).
    :param followups: the signed follow-up records (``{"at", "event"}``) to list in words.
    :returns: the PDF file's bytes.
    """
    if lang not in LANGUAGES:
        lang = _default_language()
    with force_locale(lang):
        return _render(document, page_url, dict(statuses or {}), list(followups))


def _default_language() -> str:
    """The visitor's language in a request; outside one (CLI, jobs) the default, French."""
    current = get_locale() if has_request_context() else None
    if current is not None and current.language in LANGUAGES:
        return current.language
    default = str(current_app.config.get("BABEL_DEFAULT_LOCALE", LANGUAGES[0]))
    return default if default in LANGUAGES else LANGUAGES[0]


def _moment(stamp: Any, precise: bool = True) -> str:
    """A certificate timestamp in Paris time, in words; to the minute unless ``precise``."""
    if not stamp:
        return "—"
    try:
        moment = parse_timestamp(str(stamp), "timestamp")
    except InvalidInput:
        return str(stamp)
    if not precise:
        moment = moment.replace(second=0, microsecond=0)
    return format_moment(moment, "full")


def _count(value: Any) -> str:
    return format_number(value) if isinstance(value, (int, float)) else "—"


def _render(document: dict[str, Any], page_url: str, statuses: dict[int, str],
            followups: list[dict[str, Any]]) -> bytes:
    contest = document["contest"]
    pdf = CertificateLayout(
        footer_text=_("Draw certificate — %(title)s", title=contest["title"]),
        page_label=lambda number, count: _("page %(n)s of %(count)s", n=number, count=count))
    pdf.set_title(_("Draw certificate — %(title)s", title=contest["title"]))
    pdf.set_lang(str(get_locale()))
    pdf.add_page()
    _header(pdf, document, page_url)
    if document.get("notices", {}).get("health"):
        pdf.warning_box(notice_text("health", document["notices"]["health"]))
    _result(pdf, document, statuses, followups)
    pdf.section(_("The contest"))
    pdf.rows(_contest_rows(document))
    pdf.section(_("Proof of the draw"))
    pdf.rows(_proof_rows(document))
    pdf.section(_("How to check it"))
    pdf.paragraph(_("Scan the QR code or open %(url)s, then press “%(button)s”: your browser "
                    "checks the signature, the public randomness and the draw itself.",
                    url=page_url, button=_("Verify in this browser")))
    pdf.ln(1)
    pdf.paragraph(_("Or download the certificate (JSON) and the list of entries from that page "
                    "and run: python -m giveaway.verify certificate.json --leaves leaves.txt"))
    notices = [notice_text(key, text) for key, text in document.get("notices", {}).items()
               if key != "health"]
    if notices:
        pdf.ln(3)
        for text in notices:
            pdf.paragraph(text, size=7.5, color=MUTED, line=3.8)
            pdf.ln(1)
    return bytes(pdf.output())


def _header(pdf: CertificateLayout, document: dict[str, Any], page_url: str) -> None:
    contest = document["contest"]
    with pdf.beside_qr(page_url, _("Scan to check this certificate")):
        pdf.paragraph(_("Draw certificate").upper(), size=9, bold=True, color=MUTED)
        pdf.ln(1)
        pdf.paragraph(contest["title"], size=16, bold=True, line=7.5)
        pdf.ln(1.5)
        organiser = plain_visible_handle(contest["organiser"])
        partners = ", ".join(contest.get("partners", []))
        pdf.paragraph(_("Organised by %(o)s with %(p)s", o=organiser, p=partners) if partners
                      else _("Organised by %(o)s", o=organiser), size=9.5)
        if contest.get("prize"):
            pdf.paragraph(_("Prize: %(p)s", p=contest["prize"]), size=9.5)
        if document.get("drawn_at"):
            pdf.ln(1.5)
            pdf.paragraph(_("Drawn on %(t)s (Paris time).",
                            t=_moment(document["drawn_at"], precise=False)), size=9.5)


def _result(pdf: CertificateLayout, document: dict[str, Any], statuses: dict[int, str],
            followups: list[dict[str, Any]]) -> None:
    pdf.section(_("Result"))
    body = []
    for person in document["people"]:
        status = statuses.get(person["position"]) or person.get("status")
        body.append([str(person["position"] + 1),
                     _("winner") if person["drawn_as"] == "winner" else _("alternate"),
                     plain_visible_handle(person["handle"]),
                     _("no. %(n)d", n=person["index"]),
                     str(CANDIDATE_STATUS_LABELS.get(status, "—"))])
    pdf.grid(["#", _("Drawn as"), _("Account"), _("Entry number"), _("Status")], body,
             widths=(0.5, 1.9, 2.6, 2.6, 2.4))
    pdf.paragraph(_("Accounts are masked; the entry number tells apart two accounts that "
                    "look alike."), size=7.5, color=MUTED, line=3.8)
    lines = [f"{_moment(record.get('at'), precise=False)} · {followup_sentence(record['event'])}"
             for record in followups if record.get("event")]
    for sub in document.get("substitutions", []):  # gdraw-v1; v2 has the follow-up chain
        lines.append(_("%(t)s · position %(a)d replaced by position %(b)d", t=_moment(sub["at"]),
                       a=sub["replaced"] + 1, b=sub["replacement"] + 1)
                     if sub.get("replacement") is not None else
                     _("%(t)s · position %(a)d not replaced: no alternate left",
                       t=_moment(sub["at"]), a=sub["replaced"] + 1))
    if lines:
        pdf.section(_("After the draw"))
        for line in lines:
            pdf.paragraph(line)


def _contest_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    contest, counts = document["contest"], document.get("counts") or {}
    window = contest["window"]
    rows = [(_("Entries"), _("from %(a)s to %(b)s (Paris time, both included)",
                             a=_moment(window["opens_at"]), b=_moment(window["closes_at"]))),
            (_("Posts"), "\n".join(contest.get("posts", []))),
            (_("Rules"), _("version %(v)s, SHA-256 %(h)s", v=contest["rules"]["version"],
                           h=contest["rules"]["sha256"]))]
    harvest = []
    for post in document.get("harvest", []):
        if post.get("announced") is None and not post.get("harvested") and counts.get("comments"):
            harvest.append(_("%(post)s — not harvested from Instagram: the comments were "
                             "imported from files", post=post["post"]))
        elif post.get("announced") is None:
            harvest.append(_("%(post)s — comments harvested: %(h)s; announced by Instagram: "
                             "unknown", post=post["post"], h=_count(post.get("harvested"))))
        else:
            harvest.append(_("%(post)s — comments announced by Instagram: %(a)s; harvested: %(h)s",
                             post=post["post"], a=_count(post["announced"]),
                             h=_count(post.get("harvested"))))
    if harvest:
        rows.append((_("Harvest"), "\n".join(harvest)))
    if counts:
        rows.append((_("Comments"), _(
            "%(n)s comments from %(a)s accounts: %(c)s counted, %(x)s excluded",
            n=_count(counts.get("comments")), a=_count(counts.get("accounts")),
            c=_count(counts.get("counted")), x=_count(counts.get("excluded")))))
        reasons = [_("%(label)s: %(value)s", label=reason_label(code), value=_count(number))
                   for code, number in (counts.get("by_reason") or {}).items()]
        rows.append((_("Exclusions by reason"), "\n".join(reasons) or _("no exclusion")))
        manual_out = counts.get("manual_exclusions", 0)
        manual_in = counts.get("manual_inclusions", 0)
        rows.append((_("Manual decisions"), ", ".join([
            ngettext("%(num)d manual exclusion", "%(num)d manual exclusions", manual_out),
            ngettext("%(num)d manual inclusion", "%(num)d manual inclusions", manual_in)])))
    entries = document["entries"]
    rows.append((_("Frozen entries"), _("%(n)s entries, frozen %(t)s",
                                        n=_count(entries["count"]),
                                        t=_moment(entries["frozen_at"]))))
    rows.append((_("Merkle root"), entries["merkle_root"]))
    return rows


def _proof_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    if "declaration_sha256" in document:
        rows.append((_("Declaration (%(p)s)", p=document.get("protocol", "gdraw-v2")),
                     "SHA-256 " + document["declaration_sha256"]))
    rows += [(_("Commitment"), document["commitment"] + "\n"
              + _("published %(t)s", t=_moment(document["committed_at"]))),
             (_("Salt"), document["salt"]),
             (_("Revealed seed"), document["seed"]),
             (_("Public randomness"), _randomness(document["beacon"]))]
    for anomaly in document.get("redeclarations", document.get("anomalies", [])) or []:
        rows.append((_("Anomaly"), _("%(t)s · draw moved later: %(r)s",
                                     t=_moment(anomaly.get("at")), r=anomaly.get("reason", "—"))))
    if "drawn_at" in document:
        rows.append((_("Draw made"), _moment(document["drawn_at"])))
    signature = document.get("signature") or {}
    rows += [(_("Operator"), public_operator(document.get("operator"))),
             (_("Audit log head"), document["audit_head"]),
             (_("Signature"), _("Ed25519, key %(k)s", k=signature.get("key_id", "—")))]
    return rows


def _randomness(beacon: dict[str, Any]) -> str:
    if beacon.get("kind") == "drand":
        return _("drand quicknet, round %(r)s, BLS signature verified; randomness %(v)s",
                 r=beacon.get("round"), v=beacon.get("randomness"))
    if beacon.get("kind") == "rfc3797":
        return _("%(label)s: %(value)s", label=beacon.get("description", ""),
                 value=beacon.get("key_string"))
    return _("None: this draw rests on the commitment alone. The organiser could still have "
             "chosen the list of entries knowing the result; a draw with public randomness is "
             "stronger.")

