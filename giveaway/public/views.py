"""Public pages of a contest: commitment, rules, leaf list, certificate, "Am I counted?"."""
from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound as HTTPNotFound
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from giveaway.auth.access import PUBLIC, declare_access
from giveaway.contests.service import get_contest
from giveaway.core import format_leaf_list
from giveaway.draws.certificate import certificate_document, public_link, sealed_certificate
from giveaway.draws.commitment import caption_code, declaration_document, setup_of
from giveaway.draws.followup import candidates
from giveaway.draws.followup_chain import followup_bodies, followup_json
from giveaway.draws.keys import public_key
from giveaway.draws.timestamping import certificate_token, timestamp_lines
from giveaway.draws.freeze import frozen_leaves
from giveaway.draws.models import Freeze
from giveaway.draws.pdf import certificate_pdf
from giveaway.draws.service import draw_of
from giveaway.eligibility.labels import reason_sentence
from giveaway.eligibility.rule_sentences import rule_sentences
from giveaway.eligibility.rules_doc import rules_for
from giveaway.errors import NotFound
from giveaway.extensions import db, limiter
from giveaway.i18n import output_locale
from giveaway.main.validation import Storable
from giveaway.public.dates import utc_time
from giveaway.public.json_errors import JsonNotFound, json_404, json_not_found
from giveaway.public.lookup import am_i_counted
from giveaway.public.notices import page_notices
from giveaway.public.verifier_package import verifier_wheel as verifier_wheel_bytes, wheel_name
from giveaway.public.verifier_words import verifier_words
from giveaway.public.verify_page import download_line, protocol_text, verify_commands

bp = Blueprint("public", __name__, url_prefix="/c")
declare_access(bp, PUBLIC)  # who may enter: giveaway.auth.access
bp.add_app_template_filter(utc_time, "utc_time")
bp.register_error_handler(JsonNotFound, json_404)


class LookupForm(FlaskForm):
    handle = StringField("@", validators=[DataRequired(), Length(max=65), Storable()])
    submit = SubmitField("OK")


def _public_contest(public_id: str):
    """A contest the public may see (opened at least once). :raise 404: otherwise."""
    try:
        contest = get_contest(public_id)
    except NotFound:
        abort(404)
    if contest.status == "draft" or setup_of(contest) is None:
        abort(404)
    return contest


def _drawn_contest(public_id: str):
    contest = _public_contest(public_id)
    if draw_of(contest) is None:
        abort(404)
    return contest


@bp.route("/<public_id>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def page(public_id: str):
    """The contest's public page: before the draw its commitment, after it the certificate."""
    contest = _public_contest(public_id)
    form, answer = LookupForm(), None
    if form.validate_on_submit():
        answer = am_i_counted(contest, form.handle.data)
    setup = setup_of(contest)
    document = certificate_document(contest)
    return render_template(
        "public/contest.html", contest=contest, setup=setup,
        declaration=declaration_document(setup), timestamps=timestamp_lines(contest),
        followups=[json.loads(body) for body in followup_bodies(contest)],
        statuses={c.position: c.status for c in candidates(contest)},
        certificate_stamped=document is not None and certificate_token(contest) is not None,
        page_url=public_link(f"/c/{contest.public_id}",
                             url_for(".page", public_id=contest.public_id, _external=True)),
        freeze=db.session.get(Freeze, contest.id), document=document, form=form, answer=answer,
        rules_sentences=rule_sentences(rules_for(contest)),
        caption=caption_code(setup_of(contest), contest.public_id), reason_sentence=reason_sentence,
        notices=page_notices(contest.alcohol_prize),
        verifier_words=_verifier_words() if document is not None else None)


def _verifier_words() -> dict:
    """The in-browser verifier's words in the visitor's language (the script has none)."""
    translations = get_translations()
    return verifier_words(translations.gettext, translations.ngettext,
                          str(output_locale()).replace("_", "-"))


def _sealed_response(body: bytes, mimetype: str, filename: str) -> Response:
    """Serve stored bytes as they are: a strong ETag, cacheable for a year, 304 when unchanged."""
    response = Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "public, max-age=31536000, immutable"})
    response.set_etag(hashlib.sha256(body).hexdigest())
    return response.make_conditional(request)


@bp.route("/<public_id>.json")
@json_not_found
def certificate_json(public_id: str):
    """The signed certificate, byte for byte as sealed at the draw."""
    contest = _drawn_contest(public_id)
    return _sealed_response(sealed_certificate(contest), "application/json",
                            f"{contest.public_id}.json")


@bp.route("/<public_id>/certificate.tsr")
def certificate_timestamp(public_id: str):
    """The RFC 3161 token on the sealed certificate (404 while not yet time-stamped)."""
    contest = _drawn_contest(public_id)
    token = certificate_token(contest)
    if token is None:
        abort(404)
    return _sealed_response(token, "application/timestamp-reply", f"{contest.public_id}.tsr")


@bp.route("/<public_id>/followup.json")
@json_not_found
def followup(public_id: str):
    """The signed follow-up records after the draw, each as stored."""
    contest = _drawn_contest(public_id)
    return Response(followup_json(contest), mimetype="application/json",
                    headers={"Cache-Control": "no-cache"})


@bp.route("/<public_id>/declaration.json")
@json_not_found
def declaration(public_id: str):
    """The declaration D committed at opening (gdraw-v2), as published."""
    contest = _public_contest(public_id)
    setup = setup_of(contest)
    if not setup.declaration:
        abort(404)
    return _sealed_response(setup.declaration.encode("utf-8"), "application/json",
                            f"{contest.public_id}-declaration.json")


@bp.route("/<public_id>.pdf")
def certificate_pdf_view(public_id: str):
    """The certificate as PDF, with a QR code to this page: in the visitor's language
    (French by default), or the one asked for with ``?lang=fr`` / ``?lang=en``."""
    contest = _drawn_contest(public_id)
    pdf = certificate_pdf(certificate_document(contest),
                          public_link(f"/c/{contest.public_id}",
                                      url_for(".page", public_id=public_id, _external=True)),
                          lang=request.args.get("lang"),
                          statuses={c.position: c.status for c in candidates(contest)},
                          followups=[json.loads(body) for body in followup_bodies(contest)])
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{contest.public_id}.pdf"',
        "Vary": "Accept-Language, Cookie"})


@bp.route("/<public_id>/leaves.txt")
def leaves(public_id: str):
    """The frozen leaf list: one lowercase hex leaf per line, ascending."""
    contest = _public_contest(public_id)
    freeze = db.session.get(Freeze, contest.id)
    if freeze is None:
        abort(404)
    return Response(format_leaf_list(frozen_leaves(freeze)), mimetype="text/plain")


@bp.route("/key.pem")
def key():
    """The organiser's Ed25519 public key, to check certificates' signatures."""
    return Response(public_key(), mimetype="application/x-pem-file")


@bp.route("/verify")
def how_to_verify():
    """How to verify a draw: in the browser, or with ``python -m giveaway.verify``
    installed from this site; the commands name the contest ``?c=<public id>`` when it
    is drawn (any other value: the page for any contest)."""
    contest = _drawn_or_none(request.args.get("c", ""))
    placeholder = _("YOUR_ACCOUNT_ID")
    link = _absolute
    if contest is None:
        commands = verify_commands(link, _("certificate.json"), placeholder)
    else:
        commands = verify_commands(
            link, f"{contest.public_id}.json", placeholder, public_id=contest.public_id,
            caption=caption_code(setup_of(contest), contest.public_id),
            has_followups=bool(followup_bodies(contest)))
    return render_template("public/verify.html", contest=contest, commands=commands,
                           download_line=download_line, placeholder=placeholder,
                           wheel_url=link(url_for(".verifier_wheel")),
                           key_url=link(url_for(".key")),
                           has_protocol=protocol_text() is not None)


def _drawn_or_none(public_id: str):
    """The drawn contest ``public_id`` names, or None (no id, unknown, not drawn)."""
    if not public_id:
        return None
    try:
        return _drawn_contest(public_id)
    except HTTPNotFound:
        return None


def _absolute(path: str) -> str:
    """The public URL of a path of this site (``PUBLIC_URL`` when configured)."""
    return public_link(path, request.host_url.rstrip("/") + path)


@bp.route("/verify/protocol")
def protocol():
    """The draw protocol (docs/PROTOCOL.md) as a page. :raise 404: without a copy."""
    text = protocol_text()
    if text is None:
        abort(404)
    return render_template("public/protocol.html", text=text)


@bp.route(f"/verify/{wheel_name()}")
def verifier_wheel():
    """The command-line verifier as a wheel (``pip install`` its URL)."""
    body = verifier_wheel_bytes()
    response = Response(body, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{wheel_name()}"'})
    response.set_etag(hashlib.sha256(body).hexdigest())
    return response.make_conditional(request)
