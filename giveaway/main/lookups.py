"""Small view helpers shared by the feature blueprints."""
from flask import abort

from giveaway.contests.models import Contest
from giveaway.contests.service import get_contest
from giveaway.errors import NotFound


def contest_or_404(public_id: str) -> Contest:
    """The contest with that public id. :raise 404: when there is none."""
    try:
        return get_contest(public_id)
    except NotFound:
        abort(404)
