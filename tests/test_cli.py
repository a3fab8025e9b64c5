import json

from giveaway.auth.models import User
from giveaway.contests.service import get_contest
from giveaway.extensions import db


def test_contest_add_open_show(runner, tmp_path):
    rules = tmp_path / "reglement.md"
    rules.write_text("# Règlement\n\nTirage au sort le 20 décembre.\n", encoding="utf-8")
    result = runner.invoke(args=[
        "contest", "add", "--partner", "vins-du-gers", "--title", "Coffret d'hiver",
        "--post", "https://www.instagram.com/p/Cabc123XYZ/",
        "--post", "https://www.instagram.com/reel/Czzz999AAA/",
        "--opens", "2030-01-10T09:00", "--closes", "2030-01-20T23:59:59+01:00",
        "--winners", "2", "--alternates", "4", "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    public_id = result.output.strip()
    assert public_id == "coffret-d-hiver"
    assert runner.invoke(args=["contest", "open", public_id]).exit_code == 0
    shown = runner.invoke(args=["contest", "show", public_id, "--json"])
    document = json.loads(shown.output)
    assert document["status"] == "open" and document["winners"] == 2
    assert document["opens_at"] == "2030-01-10T08:00:00+00:00"
    assert document["rules"]["version"] == 1 and len(document["rules"]["sha256"]) == 64
    assert len(document["posts"]) == 2


def test_contest_add_reports_bad_input(runner):
    result = runner.invoke(args=[
        "contest", "add", "--partner", "vins-du-gers", "--title", "X",
        "--post", "https://example.com/p/abc", "--opens", "2030-01-20T09:00",
        "--closes", "2030-01-10T09:00"])
    assert result.exit_code == 1
    assert "post_urls" in result.output and "closes_at" in result.output
    bad_date = runner.invoke(args=[
        "contest", "add", "--partner", "vins-du-gers", "--title", "X",
        "--post", "https://www.instagram.com/p/Cabc123XYZ/", "--opens", "tomorrow",
        "--closes", "2030-01-10T09:00"])
    assert bad_date.exit_code == 2 and "ISO 8601" in bad_date.output


def test_contest_open_unknown_id(runner):
    result = runner.invoke(args=["contest", "open", "nope"])
    assert result.exit_code == 1 and "nope" in result.output


def test_create_user_with_password_stdin(runner):
    result = runner.invoke(args=["create-user", "cm@test.fr", "--role", "staff",
                                 "--password-stdin"], input="a long password\n")
    assert result.exit_code == 0, result.output
    assert "a long password" not in result.output
    generated = runner.invoke(args=["create-user", "p2@test.fr", "--role", "partner",
                                    "--partner", "canard-gascon"])
    assert generated.exit_code == 0 and "password: " in generated.output
    user = db.session.scalar(db.select(User).where(User.email == "p2@test.fr"))
    assert user.partner.slug == "canard-gascon"
    orphan = runner.invoke(args=["create-user", "p3@test.fr", "--role", "partner"])
    assert orphan.exit_code == 1 and "partner" in orphan.output


def test_get_contest_after_cli(runner, app):
    runner.invoke(args=["contest", "add", "--partner", "canard-gascon", "--title", "Foie gras",
                        "--public-id", "foie-gras-2030", "--organiser", "gers_tourisme",
                        "--post", "https://www.instagram.com/p/Cabc123XYZ/",
                        "--opens", "2030-01-10T09:00", "--closes", "2030-01-20T09:00"])
    assert get_contest("foie-gras-2030").partners[0].slug == "canard-gascon"
