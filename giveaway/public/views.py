"""Public pages of a contest: commitment, rules, leaf list, certificate, "Am I counted?"."""
from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from giveaway.auth.access import PUBLIC, declare_access
from giveaway.contests.service import get_contest
from giveaway.core import format_leaf_list
from giveaway.core.eligibility import describe_rules
from giveaway.draws.certificate import (DATA_NOTICE, HEALTH_WARNING, INSTAGRAM_RELEASE,
                                        certificate_document, public_link, sealed_certificate)
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
from giveaway.eligibility.rules_doc import rules_for
from giveaway.errors import NotFound
from giveaway.extensions import db, limiter
from giveaway.main.validation import Storable
from giveaway.public.lookup import am_i_counted

bp = Blueprint("public", __name__, url_prefix="/c")
declare_access(bp, PUBLIC)  # who may enter: giveaway.auth.access


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
        rules_sentences=describe_rules(rules_for(contest), _lang()),
        caption=caption_code(setup_of(contest), contest.public_id), reason_sentence=reason_sentence,
        notices={"instagram": INSTAGRAM_RELEASE, "data": DATA_NOTICE,
                 "health": HEALTH_WARNING if contest.alcohol_prize else None})


def _lang() -> str:
    from flask_babel import get_locale
    return "fr" if str(get_locale()) == "fr" else "en"


def _sealed_response(body: bytes, mimetype: str, filename: str) -> Response:
    """Serve stored bytes as they are: a strong ETag, cacheable for a year, 304 when unchanged."""
    response = Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "public, max-age=31536000, immutable"})
    response.set_etag(hashlib.sha256(body).hexdigest())
    return response.make_conditional(request)


@bp.route("/<public_id>.json")
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
def followup(public_id: str):
    """The signed follow-up records after the draw, each as stored."""
    contest = _drawn_contest(public_id)
    return Response(followup_json(contest), mimetype="application/json",
                    headers={"Cache-Control": "no-cache"})


@bp.route("/<public_id>/declaration.json")
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
    """The certificate as PDF, with a QR code to this page."""
    contest = _drawn_contest(public_id)
    pdf = certificate_pdf(certificate_document(contest),
                          public_link(f"/c/{contest.public_id}",
                                      url_for(".page", public_id=public_id, _external=True)))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{contest.public_id}.pdf"'})


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
    """How to verify a certificate with ``python -m giveaway.verify``."""
    return render_template("public/verify.html")
