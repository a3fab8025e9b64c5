"""Staff pages: eligibility rules, the review table, manual decisions, the block list."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   stream_with_context, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from giveaway.auth.access import ADMIN, STAFF, declare_access
from giveaway.auth.guards import admin_required, staff_required
from giveaway.auth.service import actor_of
from giveaway.core.eligibility import FLAG_CODES, REASON_CODES
from giveaway.eligibility import blocklist, decisions, review, rules_doc, service
from giveaway.eligibility.forms import BlockForm, DecisionForm, EligibilityForm
from giveaway.eligibility.labels import decision_label, flag_label, reason_label, reason_sentence
from giveaway.eligibility.rule_sentences import rule_sentences
from giveaway.errors import NotFound, ServiceError
from giveaway.harvest.models import Comment
from giveaway.i18n import format_number
from giveaway.main.forms_support import show_service_error
from giveaway.main.lookups import contest_or_404
from giveaway.main.validation import MAX_DB_INT, bounded_int
from giveaway.extensions import db

bp = Blueprint("eligibility", __name__)
declare_access(bp, STAFF, blocked=ADMIN, unblock=ADMIN)  # who may enter: giveaway.auth.access




def _lines(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").replace(",", "\n").split() if item.strip()]


@bp.route("/contests/<public_id>/eligibility", methods=["GET", "POST"])
@staff_required
def rules(public_id: str):
    """The eligibility rules form (draft contests only; frozen at opening)."""
    contest = contest_or_404(public_id)
    current = rules_doc.rules_for(contest)
    form = EligibilityForm()
    if not form.is_submitted():
        form.process(data={**current.to_dict(),
                           "required_hashtags": " ".join(f"#{t}" for t in
                                                         current.required_hashtags),
                           "required_keywords": "\n".join(current.required_keywords),
                           "staff_handles": "\n".join(current.staff_handles),
                           "excluded_user_ids": "\n".join(current.excluded_user_ids)})
    if form.validate_on_submit():
        document = {
            "counting": form.counting.data,
            "max_entries_per_account": form.max_entries_per_account.data,
            "min_mentions": form.min_mentions.data,
            "mentions_must_be_new": form.mentions_must_be_new.data,
            "required_hashtags": _lines(form.required_hashtags.data),
            "required_keywords": [k.strip() for k in (form.required_keywords.data or "")
                                  .splitlines() if k.strip()],
            "match_accent_insensitive": form.match_accent_insensitive.data,
            "replies_count": form.replies_count.data,
            "staff_handles": _lines(form.staff_handles.data),
            "excluded_user_ids": _lines(form.excluded_user_ids.data),
            "recent_winner_days": form.recent_winner_days.data,
            "must_follow": form.must_follow.data,
        }
        try:
            rules_doc.set_rules(contest, document, actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Eligibility rules saved."), "success")
            return redirect(url_for("contests.detail", public_id=public_id))
    return render_template("eligibility/rules.html", contest=contest, form=form,
                           sentences=rule_sentences(current))


def _filter() -> review.ReviewFilter:
    """The filters of the query string; an unknown value is no filter, a search is cut at
    100 characters (the guard before every view already refused NUL bytes)."""
    args = request.args
    verdict = args.get("verdict", "")
    reason = args.get("reason", "")
    flag = args.get("flag", "")
    code, _sep, group = flag.partition(":")
    return review.ReviewFilter(
        verdict=verdict if verdict in ("counted", "excluded", "manual") else "",
        reason=reason if reason in REASON_CODES else "",
        flag=flag if code in FLAG_CODES and len(group) <= 200 else "",
        search=" ".join(args.get("q", "")[:100].split()))


@bp.route("/contests/<public_id>/entries")
@staff_required
def entries(public_id: str):
    """The review table: every comment with its verdict, reasons and flags."""
    contest = contest_or_404(public_id)
    number = bounded_int(request.args.get("page"), 1, 1, review.MAX_PAGE + 1)
    page = review.review_page(contest, _filter(), number)
    return render_template("eligibility/entries.html", contest=contest, page=page,
                           filters=_filter(), evaluation=service.latest_evaluation(contest),
                           reason_codes=REASON_CODES, all_flag_codes=FLAG_CODES,
                           reason_sentence=reason_sentence,
                           reason_label=reason_label, flag_label=flag_label,
                           flag_codes=review.flag_codes, reasons_of=review.reason_codes)


@bp.route("/contests/<public_id>/entries.csv")
@staff_required
def export(public_id: str):
    """Download the table as CSV (one row per comment), with the current filters."""
    contest = contest_or_404(public_id)
    rows = review.export_rows(contest, _filter())
    return Response(stream_with_context(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{contest.public_id}-entries.csv"'})


@bp.route("/contests/<public_id>/entries/evaluate", methods=["POST"])
@staff_required
def evaluate(public_id: str):
    """Recompute every verdict now."""
    contest = contest_or_404(public_id)
    try:
        result = service.evaluate_contest(contest, actor_of(current_user))
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("Verdicts recomputed — counted: %(c)s; excluded: %(e)s.",
                c=format_number(result.totals["counted"]),
                e=format_number(result.totals["excluded"])), "success")
    return redirect(url_for(".entries", public_id=public_id))


@bp.route("/contests/<public_id>/entries/<int:comment_pk>", methods=["GET", "POST"])
@staff_required
def entry(public_id: str, comment_pk: int):
    """One comment: its verdict, its ledger of manual decisions, and the decision form."""
    contest = contest_or_404(public_id)
    comment = db.session.get(Comment, comment_pk) if comment_pk <= MAX_DB_INT else None
    if comment is None or comment.contest_id != contest.id:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            decisions.decide(contest, comment_pk, form.decision.data, form.justification.data,
                             actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Decision recorded."), "success")
            return redirect(url_for(".entry", public_id=public_id, comment_pk=comment_pk))
    from giveaway.eligibility.models import Verdict
    verdict = db.session.get(Verdict, comment_pk)
    return render_template("eligibility/entry.html", contest=contest, comment=comment,
                           verdict=verdict, form=form, ledger=decisions.decisions_for(
                               contest, comment_pk), reasons=review.reason_codes(verdict),
                           flags=review.flag_codes(verdict), reason_sentence=reason_sentence,
                           flag_label=flag_label, decision_label=decision_label)


@bp.route("/admin/blocklist", methods=["GET", "POST"])
@admin_required
def blocked():
    """The block list shared by every contest."""
    form = BlockForm()
    if form.validate_on_submit():
        try:
            blocklist.block(form.value.data, form.reason.data or "", actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Account blocked on every contest."), "success")
            return redirect(url_for(".blocked"))
    return render_template("eligibility/blocklist.html", form=form,
                           entries=blocklist.blocked_accounts())


@bp.route("/admin/blocklist/<int:entry_id>/remove", methods=["POST"])
@admin_required
def unblock(entry_id: int):
    """Remove an account from the block list."""
    try:
        blocklist.unblock(entry_id, actor_of(current_user))
    except NotFound:
        abort(404)
    flash(_("Account removed from the block list."), "success")
    return redirect(url_for(".blocked"))
