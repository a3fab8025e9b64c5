import sqlalchemy as sa

from giveaway.audit import service as audit
from giveaway.audit.models import AuditRecord
from giveaway.contests import lifecycle
from giveaway.extensions import db
from conftest import make_contest


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditRecord.action).order_by(AuditRecord.seq)))


def test_every_step_is_recorded_and_chained(app, client, auth):
    contest = make_contest()
    lifecycle.open_contest(contest, "staff@test.fr")
    assert actions()[-4:] == ["user.create", "contest.create", "contest.rules", "contest.open"]
    records = list(db.session.scalars(sa.select(AuditRecord).order_by(AuditRecord.seq)))
    assert records[0].prev_hash == audit.GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(records, records[1:]))
    assert records[-1].actor == "staff@test.fr"
    assert audit.verify_chain().ok and audit.head_hash() == records[-1].hash


def test_ui_actions_name_the_user(client, auth):
    auth.login()
    client.post("/partners/new", data={"slug": "ferme", "name": "Ferme"})
    last = db.session.scalar(sa.select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1))
    assert (last.action, last.actor, last.object_id) == ("partner.create", "staff@test.fr", "ferme")


def test_verify_detects_an_edited_record(app, runner):
    make_contest()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    target = db.session.scalar(sa.select(AuditRecord).where(AuditRecord.action == "contest.create"))
    db.session.execute(sa.update(AuditRecord).where(AuditRecord.id == target.id)
                       .values(actor="someone-else"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"record {target.seq}" in result.output and "changed" in result.output


def test_verify_detects_a_deleted_record(app, runner):
    make_contest()
    db.session.execute(sa.delete(AuditRecord).where(AuditRecord.seq == 2))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "record 2" in result.output
