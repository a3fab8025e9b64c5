"""The home page: staff see every contest, partner users their own."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from giveaway.auth.access import LOGIN, declare_access
from giveaway.contests.service import list_contests

bp = Blueprint("main", __name__)
declare_access(bp, LOGIN)  # who may enter: giveaway.auth.access


@bp.route("/")
@login_required
def home():
    """Staff: all contests with status, dates and partners. Partners: their dashboard."""
    if current_user.is_staff:
        return render_template("main/staff_home.html", contests=list_contests())
    return redirect(url_for("dashboard.home"))
