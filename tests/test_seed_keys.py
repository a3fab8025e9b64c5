"""Draw seeds survive a key rotation: old keys still decrypt, a lost key gives a clear,
audit-logged refusal (never a raw InvalidToken), ``flask keys rotate`` re-encrypts."""
import pytest
import sqlalchemy as sa

from giveaway.audit.models import AuditRecord
from giveaway.draws import service
from giveaway.draws.commitment import setup_of
from giveaway.draws.models import Draw
from giveaway.extensions import db
from giveaway.harvest import ig_session
from giveaway.secretbox import InvalidToken, SeedUnreadable, open_secret, open_seed
from conftest import PASSWORD, after_beacon
from test_draws import DECLARED, declared_contest

NEW_KEY = "a new secret key, long enough to be accepted: 0123456789"
SEED_KEY = "a key for draw seeds only, long enough: 0123456789abcdef"


def _refusals():
    return list(db.session.scalars(sa.select(AuditRecord)
                                   .where(AuditRecord.action == "draw.refused")))


def test_the_draw_works_after_a_rotation_with_the_old_key_kept(app):
    contest = declared_contest()  # its seed is sealed with SECRET_KEY "test"
    app.config.update(SECRET_KEY=NEW_KEY, OLD_SECRET_KEYS=["test"])
    with after_beacon(contest):
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    assert contest.status == "drawn"


def test_a_lost_key_is_a_clear_refusal_logged_and_nothing_is_drawn(app):
    contest = declared_contest()
    app.config["SECRET_KEY"] = NEW_KEY
    with after_beacon(contest), pytest.raises(SeedUnreadable) as info:
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    assert "La graine de ce tirage ne peut pas être déchiffrée" in info.value.message
    assert "SEED_KEYS" in info.value.message
    assert [r.details["why"] for r in _refusals()] == [info.value.message]
    assert db.session.get(Draw, contest.id) is None and contest.status != "drawn"
    app.config["OLD_SECRET_KEYS"] = ["test"]  # the fix the message names
    with after_beacon(contest):
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    assert contest.status == "drawn"


def test_the_draw_page_shows_the_fix_not_a_server_error(app, client):
    contest = declared_contest()
    app.config["SECRET_KEY"] = NEW_KEY
    with after_beacon(contest):
        client.post("/login", data={"email": "staff@test.fr", "password": PASSWORD})
        page = client.post("/contests/noel/draw", data={"values": "3 17 22 40 48 / 2 9"})
    assert page.status_code == 200
    assert "La graine de ce tirage ne peut pas être déchiffrée" in page.data.decode()
    assert db.session.get(Draw, contest.id) is None and len(_refusals()) == 1


def test_seed_keys_encrypt_new_seeds_and_keep_reading_old_ones(app):
    old = declared_contest("ancien")
    app.config["SEED_KEYS"] = [SEED_KEY]
    new = declared_contest("nouveau")
    app.config["SECRET_KEY"] = NEW_KEY  # the seed key does not depend on SECRET_KEY
    open_seed(setup_of(new).seed_sealed)
    with pytest.raises(SeedUnreadable):
        open_seed(setup_of(old).seed_sealed)
    app.config["OLD_SECRET_KEYS"] = ["test"]
    open_seed(setup_of(old).seed_sealed)
    app.config["SEED_KEYS"] = []
    with pytest.raises(InvalidToken):  # sealed with the seed key, not with SECRET_KEY
        open_secret("draw-seed", setup_of(new).seed_sealed)


def test_keys_rotate_reencrypts_seeds_and_the_instagram_session(app, runner):
    contest = declared_contest()
    ig_session.save_settings("gers_tourisme", {"uuids": {"phone_id": "x"}}, actor="test")
    app.config.update(SECRET_KEY=NEW_KEY, OLD_SECRET_KEYS=["test"])
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted 1 draw seed(s) and 1 Instagram session(s)" in result.output
    db.session.expire_all()
    app.config["OLD_SECRET_KEYS"] = []  # the old key can go now
    assert ig_session.load_settings() == {"uuids": {"phone_id": "x"}}
    with after_beacon(contest):
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    assert contest.status == "drawn"
    rotation = db.session.scalar(sa.select(AuditRecord).where(AuditRecord.action == "keys.rotate"))
    assert rotation.details["seeds"] == 1 and rotation.details["unreadable_seeds"] == []


def test_keys_rotate_names_the_seeds_no_key_opens(app, runner):
    declared_contest()
    app.config["SECRET_KEY"] = NEW_KEY
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 1
    assert "no configured key opens the seed of: noel" in result.output
