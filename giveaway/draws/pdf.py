"""The certificate as a PDF (fpdf2), with a QR code (segno) to its public page."""
from __future__ import annotations

import io
from typing import Any

import segno
from fpdf import FPDF

from giveaway.core.eligibility import REASON_SENTENCES_FR
from giveaway.core.encoding import parse_timestamp
from giveaway.core.paris import to_paris
from giveaway.draws.masking import plain_visible_handle

#: The PDF is in French whatever the reader's language: statuses as words, never codes.
STATUS_FR = {"standby": "suppléant, en attente", "to_contact": "à contacter",
             "contacted": "contacté", "claimed": "lot récupéré", "declined": "refusé",
             "no_answer": "sans réponse dans le délai", "disqualified": "disqualifié"}


def _latin1(text: Any) -> str:
    """fpdf2's core fonts are Latin-1: keep French accents, replace anything else."""
    return str(text).replace("’", "'").replace("…", "...").replace("✓", "OK") \
        .encode("latin-1", "replace").decode("latin-1")


def _paris(stamp: str) -> str:
    return to_paris(parse_timestamp(stamp, "timestamp")).strftime("%d/%m/%Y %H:%M:%S (heure de Paris)")


def _operator(operator: Any) -> str:
    """The operator's public label; "l'organisateur" for none or anything like an e-mail."""
    if not operator or operator == "organiser" or "@" in str(operator):
        return "l'organisateur"
    return str(operator)


def certificate_pdf(document: dict[str, Any], page_url: str) -> bytes:
    """Render the signed certificate ``document`` as PDF bytes."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    contest = document["contest"]
    pdf.multi_cell(0, 8, _latin1(f"Certificat de tirage au sort - {contest['title']}"),
                   new_x="LMARGIN", new_y="NEXT")
    qr = io.BytesIO()
    segno.make(page_url, error="m").save(qr, kind="png", scale=3)
    qr.seek(0)
    pdf.image(qr, x=165, y=25, w=30)
    pdf.set_font("Helvetica", size=9)

    def line(label: str, value: Any = "") -> None:
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(55, 5, _latin1(label))
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(0, 5, _latin1(value), new_x="LMARGIN", new_y="NEXT")

    window = contest["window"]
    line("Organisateur", contest["organiser"])
    line("Partenaires", ", ".join(contest["partners"]))
    line("Publications", " ".join(contest["posts"]))
    line("Règlement", f"version {contest['rules']['version']}, SHA-256 {contest['rules']['sha256']}")
    line("Participation", f"du {_paris(window['opens_at'])} au {_paris(window['closes_at'])}")
    for post in document["harvest"]:
        line("Récolte", f"{post['post']} : {post['announced'] if post['announced'] is not None else '?'}"
                        f" annoncés, {post['harvested']} récoltés")
    counts = document.get("counts", {})
    if counts:
        line("Commentaires", f"{counts.get('comments')} de {counts.get('accounts')} comptes ; "
                             f"{counts.get('counted')} retenus, {counts.get('excluded')} exclus")
        reasons = " ; ".join(f"{REASON_SENTENCES_FR.get(k, 'autre motif').rstrip('.')} : {v}"
                             for k, v in counts.get("by_reason", {}).items())
        line("Exclusions", reasons or "aucune")
        line("Décisions manuelles", f"{counts.get('manual_exclusions', 0)} exclusions, "
                                    f"{counts.get('manual_inclusions', 0)} inclusions")
    line("Engagement", f"{document['commitment']} publié le {_paris(document['committed_at'])}")
    line("Sel", document["salt"])
    line("Graine révélée", document["seed"])
    entries = document["entries"]
    line("Liste figée", f"N = {entries['count']}, racine {entries['merkle_root']}, "
                        f"le {_paris(entries['frozen_at'])}")
    beacon = document["beacon"]
    if beacon["kind"] == "drand":
        line("Aléa public", f"drand quicknet, tour {beacon['round']}, signature BLS vérifiée, "
                            f"aléa {beacon['randomness']}")
    elif beacon["kind"] == "rfc3797":
        line("Aléa public", f"{beacon.get('description', '')} : {beacon['key_string']}")
    else:
        line("Aléa public", "aucun (engagement seul) : " + beacon.get("warning", ""))
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Résultat", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for person in document["people"]:
        role = "Gagnant" if person["drawn_as"] == "winner" else "Suppléant"
        status = STATUS_FR.get(person["status"], "")
        line(f"{role} {person['position'] + 1}",
             f"{plain_visible_handle(person['handle'])} (participation n° {person['index']})"
             + (f" - {status}" if status else ""))
    for sub in document.get("substitutions", []):  # gdraw-v1; v2: the follow-up chain
        line("Remplacement", f"position {sub['replaced'] + 1} -> {sub['replacement'] + 1 if sub['replacement'] is not None else '-'} "
                             f", {_paris(sub['at'])}")
    for anomaly in document.get("redeclarations", document.get("anomalies", [])):
        line("Anomalie", f"tirage reporté à plus tard : {anomaly.get('reason')}")
    if "declaration_sha256" in document:
        line("Déclaration (gdraw-v2)", f"SHA-256 {document['declaration_sha256']}")
    if "drawn_at" in document:
        line("Tirage effectué", _paris(document["drawn_at"]))
    line("Opérateur", _operator(document.get("operator")))
    line("Journal d'audit", document["audit_head"])
    signature = document.get("signature", {})
    line("Signature Ed25519", f"clé {signature.get('key_id', '')}")
    pdf.ln(2)
    for text in document["notices"].values():
        pdf.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, _latin1("Vérifier : python -m giveaway.verify certificat.json, ou le "
                                 f"bouton « Vérifier » de {page_url}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
