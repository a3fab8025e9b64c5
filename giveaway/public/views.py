"""Public pages of a contest: commitment, rules, leaf list, certificate, "Am I counted?"."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from giveaway.contests.service import get_contest
from giveaway.core import format_leaf_list
from giveaway.core.eligibility import describe_rules
from giveaway.draws.certificate import (DATA_NOTICE, HEALTH_WARNING, INSTAGRAM_RELEASE,
                                        certificate_document, public_key)
from giveaway.draws.commitment import caption_code, setup_of
from giveaway.draws.freeze import frozen_leaves
from giveaway.draws.models import Freeze
from giveaway.draws.pdf import certificate_pdf
from giveaway.draws.service import draw_of
from giveaway.eligibility.labels import reason_sentence
from giveaway.eligibility.rules_doc import rules_for
from giveaway.errors import NotFound
from giveaway.extensions import db, limiter
from giveaway.public.lookup import am_i_counted

bp = Blueprint("public", __name__, url_prefix="/c")


class LookupForm(FlaskForm):
    handle = StringField("@", validators=[DataRequired(), Length(max=64)])
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
    record = draw_of(contest)
    document = certificate_document(contest) if record else None
    return render_template(
        "public/contest.html", contest=contest, setup=setup_of(contest),
        freeze=db.session.get(Freeze, contest.id), document=document, form=form, answer=answer,
        rules_sentences=describe_rules(rules_for(contest), _lang()),
        caption=caption_code(setup_of(contest), contest.public_id), reason_sentence=reason_sentence,
        notices={"instagram": INSTAGRAM_RELEASE, "data": DATA_NOTICE,
                 "health": HEALTH_WARNING if contest.alcohol_prize else None})


def _lang() -> str:
    from flask_babel import get_locale
    return "fr" if str(get_locale()) == "fr" else "en"


@bp.route("/<public_id>.json")
def certificate_json(public_id: str):
    """The signed gdraw-v1 certificate."""
    contest = _drawn_contest(public_id)
    body = json.dumps(certificate_document(contest), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'inline; filename="{contest.public_id}.json"'})


@bp.route("/<public_id>.pdf")
def certificate_pdf_view(public_id: str):
    """The certificate as PDF, with a QR code to this page."""
    contest = _drawn_contest(public_id)
    pdf = certificate_pdf(certificate_document(contest),
                          url_for(".page", public_id=public_id, _external=True))
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
