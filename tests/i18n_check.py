"""Reading a rendered page as a person does, and what must not be in it (test_i18n_pages.py).

:func:`problems_of` lists, for one page asked for in French or in English: raw codes
(reason, flag, status, decision… codes as words of the text), text of the other language
(the catalogue's messages, and French function words on an English page), a count of one
with a plural noun, and a « field: » prefix in a message. Parts marked with another
``lang`` (the protocol, in English only) are checked in their own language; identifiers in
``<code>`` may show codes.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from giveaway.auth.models import ROLES
from giveaway.contests.labels import STATUS_LABELS
from giveaway.core.eligibility import (COUNTING_MODES, FLAG_CODES, MUST_FOLLOW_CHOICES,
                                       REASON_CODES, RULE_CLAUSE_CODES)
from giveaway.draws.labels import (CANDIDATE_STATUS_LABELS, FOLLOW_CHECK_LABELS,
                                   PUBLIC_REASON_LABELS, TIMESTAMP_SUBJECT_LABELS)
from giveaway.eligibility.labels import DECISION_LABELS
from giveaway.harvest.labels import END_REASON_LABELS, RUN_STATUS_LABELS

PO_FILE = Path(__file__).parents[1] / "giveaway/translations/fr/LC_MESSAGES/messages.po"

# ---------------------------------------------------------------------------------------------
# The codes a page must never show. On a French page every code is caught as a word; on an
# English page the codes that read as English words (« closed », « open ») are fine, the others
# (with an underscore, or not English at all) are not.
CODES = {
    *REASON_CODES, *FLAG_CODES, *STATUS_LABELS, *CANDIDATE_STATUS_LABELS, *RUN_STATUS_LABELS,
    *PUBLIC_REASON_LABELS, *TIMESTAMP_SUBJECT_LABELS, *FOLLOW_CHECK_LABELS, *DECISION_LABELS,
    *RULE_CLAUSE_CODES, *COUNTING_MODES, *MUST_FOLLOW_CHOICES, *ROLES, *END_REASON_LABELS,
    "counted", "excluded", "manual",  # verdict filter values
}
NOT_ENGLISH = {code for code in CODES if "_" in code} | {"standby"}
# A code as a word of its own: not part of an e-mail, a handle, a file name or a URL.
_WORD = r"(?<![\w@#./:-]){}(?![\w@-]|\.\w)"
FRENCH_CODES = re.compile("|".join(_WORD.format(re.escape(c)) for c in sorted(CODES)))
ENGLISH_CODES = re.compile("|".join(_WORD.format(re.escape(c)) for c in sorted(NOT_ENGLISH)))

# « reason: … », « age_confirmed : … » at the start of a message, or of one of its sentences.
FIELD_PREFIX = re.compile(r"(?:^|[;.]\s)[a-z]+(?:_[a-z]+)*\s?:\s")

# « 1 exclusions manuelles », « 1 comments »: a count of one with a plural noun (ngettext missing).
ONE_PLURAL = re.compile(r"(?<![\d.,\u202f\u00a0])(?<!and )(?<!et )(?<!or )(?<!ou )(?<!to )"
                        r"\b1 (?:[a-z]+ )?(?:exclusions|inclusions|"
                        r"participations|commentaires|comptes|valeurs|jours|gagnants|suppléants|"
                        r"lignes|entries|comments|accounts|values|days|winners|alternates|rows)\b")

# Words that only a French sentence has; user content (titles, names…) is removed first.
FRENCH_WORDS = re.compile(r"\b(?:les|des|est|sont|vous|votre|vos|pour|avec|une|dans|aucun|"
                          r"aucune|être|été|déjà|jusqu|depuis|ou bien|n'est|c'est|qu'|"
                          r"l'|d'un|d'une)\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
class Visible(HTMLParser):
    """The text a person reads in an HTML page, piece by piece with the language it is marked
    in (the nearest ``lang`` attribute): text nodes outside scripts and styles, and the
    placeholder, title, aria-label and alt of elements; messages (alerts, field errors) apart."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
            "source", "track", "wbr"}
    SKIP = {"script", "style", "template"}
    LITERAL = {"code", "kbd", "samp"}  # identifiers shown as such (an entry key, a JSON field)
    MESSAGE_CLASSES = {"alert", "invalid-feedback"}  # flashes, field errors
    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []  # per open element: tag, skip, literal, message, lang
        self.pieces: list[tuple[str, bool, str]] = []  # (lang, literal, text)
        self.messages: list[list[str]] = []
        self.open_messages: list[list[str]] = []
        self.page_lang = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = attrs.get("lang") or ""
        element = {"tag": tag, "skip": tag in self.SKIP, "literal": tag in self.LITERAL,
                   "message": bool(set((attrs.get("class") or "").split())
                                   & self.MESSAGE_CLASSES), "lang": attrs.get("lang")}
        if tag not in self.VOID:
            self.stack.append(element)
            if element["message"]:
                self.open_messages.append([])
        if self._skipped() or (tag == "input" and attrs.get("type") == "hidden"):
            return
        for name in self.ATTRIBUTES:
            if attrs.get(name):
                self._add(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self._add(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not any(element["tag"] == tag for element in self.stack):
            return  # a stray end tag
        while self.stack:
            element = self.stack.pop()
            if element["message"]:
                self.messages.append(self.open_messages.pop())
            if element["tag"] == tag:
                break

    def handle_data(self, data):
        if self._skipped() or not data.strip():
            return
        self._add(data)
        for message in self.open_messages:
            message.append(data)

    def _add(self, text: str) -> None:
        lang = next((e["lang"] for e in reversed(self.stack) if e["lang"]), self.page_lang)
        literal = any(element["literal"] for element in self.stack)
        self.pieces.append(((lang or "").split("-")[0].lower(), literal, text))

    def _skipped(self) -> bool:
        return any(element["skip"] for element in self.stack)


def _squash(parts) -> str:
    return " ".join(" ".join(parts).split())


class Page:
    """A parsed page: its ``lang``, its text per language (all of it, and outside ``<code>``)
    and its messages."""

    def __init__(self, html: str, default_lang: str):
        parser = Visible()
        parser.feed(html)
        parser.close()
        self.lang = parser.page_lang
        pieces = [(lang or default_lang, literal, text) for lang, literal, text in parser.pieces]
        langs = dict.fromkeys(lang for lang, _literal, _text in pieces)
        self.text = {lang: _squash(t for g, _l, t in pieces if g == lang) for lang in langs}
        self.prose = {lang: _squash(t for g, literal, t in pieces
                                    if g == lang and not literal) for lang in langs}
        self.messages = [_squash(m) for m in parser.messages if _squash(m)]

    @property
    def all_text(self) -> str:
        return " ".join(self.text.values())


# ---------------------------------------------------------------------------------------------
def catalogue_fragments() -> dict[str, list[tuple[str, str]]]:
    """(English fragment, msgid) that must not be on a French page, and (French fragment,
    msgid) that must not be on an English page: the literal runs of three words or more of
    each message, placeholders cut out, that the other language does not share (a message
    still without French counts as English)."""
    with PO_FILE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    english, french = [], []
    placeholder = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        strings = tuple(s for s in strings if s)  # untranslated: English on a French page
        for text, other, out in ((ids, strings, english), (strings, ids, french)):
            for one in text:
                for piece in placeholder.split(one):
                    piece = " ".join(piece.split()).strip(" .,;:()«»“”")
                    if len(piece.split()) >= 3 and not any(piece in " ".join(o.split())
                                                           for o in other):
                        out.append((piece, ids[0]))
    return {"fr": english, "en": french}


def problems_of(label: str, lang: str, html: str, fragments: dict,
                user_text: list[str]) -> list[str]:
    """What is wrong with one page asked for in ``lang``, one line per problem. ``fragments``
    maps a language to the catalogue's text that must not appear in it; a part of the page
    marked with another ``lang`` (the protocol, in English only) is checked in that language."""
    page = Page(html, lang)
    found: list[str] = []
    if page.all_text.startswith("500 "):
        return [f"{label} [{lang}]: {page.all_text}"]
    if "500 nothing tells" in page.all_text:
        found.append(f"{label} [{lang}]: the refusal shows no message")
    if page.lang and page.lang.split("-")[0] != lang:
        found.append(f"{label} [{lang}]: the page says it is in « {page.lang} »")
    for part_lang, text in page.text.items():
        if part_lang not in ("fr", "en"):
            continue
        where = f"{label} [{lang}{'' if part_lang == lang else ', part in ' + part_lang}]"
        codes = FRENCH_CODES if part_lang == "fr" else ENGLISH_CODES
        prose = page.prose[part_lang]
        for match in codes.finditer(prose):
            around = prose[max(0, match.start() - 40):match.end() + 40]
            found.append(f"{where}: raw code « {match.group()} » in « …{around}… »")
        for match in ONE_PLURAL.finditer(text):
            found.append(f"{where}: singular count with a plural noun « {match.group()} »")
        for piece, msgid in fragments[part_lang]:
            if piece in text:
                what = "English" if part_lang == "fr" else "French"
                found.append(f"{where}: {what} text « {piece} » (msgid « {msgid[:80]} »)")
        if part_lang == "en":
            stripped = re.sub(r"«[^»]*»", " ", text)  # a value quoted as an example
            for value in user_text:
                stripped = stripped.replace(value, " ")
            match = FRENCH_WORDS.search(stripped)
            if match:
                around = stripped[max(0, match.start() - 50):match.end() + 50]
                found.append(f"{where}: French word « {match.group()} » in « …{around}… »")
    for message in page.messages:
        if FIELD_PREFIX.search(message):
            found.append(f"{label} [{lang}]: field-name prefix in the message « {message} »")
    return found
