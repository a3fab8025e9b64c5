"""The public pages in both languages: notices, times, counts, the verify page whose
commands run as printed, the verifier served as a wheel, the protocol, JSON 404s."""
from __future__ import annotations

import html
import io
import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from datetime import timedelta

import pytest

from giveaway.contests import lifecycle
from giveaway.db_types import utcnow
from giveaway.public.verifier_package import wheel_name
from conftest import make_contest
from test_draws import drawn_contest

FRENCH_NOTICES = ("L'abus d'alcool est dangereux", "Ce jeu n'est ni sponsorisé",
                  "Les noms de compte et les commentaires")
ENGLISH_NOTICES = ("Alcohol abuse is dangerous", "in no way sponsored",
                   "Account names and comments serve this contest only")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def visible_text(page: str) -> str:
    """What a reader sees: no head, no script (the verifier's words are data), no tags."""
    page = re.sub(r"<head>.*?</head>|<script\b.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def page_in(client, lang: str, path: str) -> str:
    client.post(f"/language/{lang}")
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.fixture
def contest(app):
    """A drawn contest with an alcoholic prize, opened at a time with microseconds."""
    opens = utcnow().replace(microsecond=123456) - timedelta(hours=1)
    return drawn_contest(alcohol_prize=True, opens_at=opens, closes_at=opens + timedelta(days=7))


def test_notices_are_in_the_page_language_and_the_sealed_certificate_unchanged(contest, client):
    sealed = client.get(f"/c/{contest.public_id}.json").data
    french = visible_text(page_in(client, "fr", f"/c/{contest.public_id}"))
    english = visible_text(page_in(client, "en", f"/c/{contest.public_id}"))
    assert all(notice in french for notice in FRENCH_NOTICES)
    assert not any(notice in french for notice in ENGLISH_NOTICES)
    assert all(notice in english for notice in ENGLISH_NOTICES)
    assert not any(notice in english for notice in FRENCH_NOTICES), english
    assert "votre_compte" not in page_in(client, "en", f"/c/{contest.public_id}")
    assert client.get(f"/c/{contest.public_id}.json").data == sealed  # served as sealed
    assert json.loads(sealed)["notices"]["instagram"].startswith("Ce jeu n'est ni sponsorisé")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_times_are_written_in_words_never_as_iso_stamps(contest, client, lang):
    text = visible_text(page_in(client, lang, f"/c/{contest.public_id}"))
    assert not ISO_TIME.search(text), ISO_TIME.search(text)
    assert "123456" not in text and ".123" not in text
    utc = "UTC : " if lang == "fr" else "UTC: "
    assert utc in text


def test_counts_agree_with_their_number(contest, client):
    french = visible_text(page_in(client, "fr", f"/c/{contest.public_id}"))
    assert "30 commentaires provenant de 30 comptes : 30 retenus, 0 exclu" in french
    assert "0 exclusion manuelle, 0 inclusion manuelle" in french
    assert "30 participations, figées le" in french
    english = visible_text(page_in(client, "en", f"/c/{contest.public_id}"))
    assert "30 comments from 30 accounts: 30 counted, 0 excluded" in english
    assert "0 manual exclusions, 0 manual inclusions" in english


def commands_of(page: str) -> list[str]:
    """Every command printed in a <pre class="command"> block, one per line."""
    blocks = re.findall(r'<pre class="command"><code>(.*?)</code></pre>', page, flags=re.S)
    return [html.unescape(line) for block in blocks for line in block.splitlines() if line]


def test_the_verify_page_shows_runnable_commands_with_a_visible_placeholder(contest, client):
    generic = page_in(client, "fr", "/c/verify")
    commands = commands_of(generic)
    assert ("python -m giveaway.verify certificat.json --leaves leaves.txt "
            "--entry ig:VOTRE_IDENTIFIANT") in commands
    assert "ig:VOTRE_IDENTIFIANT" in visible_text(generic)  # shown, not swallowed as a tag
    assert f"pip install http://localhost/c/verify/{wheel_name()}" in commands
    assert 'href="/c/verify/protocol"' in generic
    english = commands_of(page_in(client, "en", "/c/verify"))
    assert ("python -m giveaway.verify certificate.json --leaves leaves.txt "
            "--entry ig:YOUR_ACCOUNT_ID") in english
    # a contest page links to the commands of its own contest
    assert f'href="/c/verify?c={contest.public_id}"' in page_in(client, "fr",
                                                                f"/c/{contest.public_id}")
    assert "certificat.json" in page_in(client, "fr", "/c/verify?c=unknown")  # any other


def test_the_commands_of_a_contest_run_as_printed(contest, client, tmp_path):
    commands = commands_of(page_in(client, "fr", f"/c/verify?c={contest.public_id}"))
    downloads = [shlex.split(line) for line in commands if line.startswith("curl ")]
    assert {args[2] for args in downloads} >= {f"{contest.public_id}.json", "leaves.txt",
                                                "key.pem"}
    for _curl, _o, name, url in downloads:  # what curl would fetch, through the test client
        response = client.get(url.removeprefix("http://localhost"))
        assert response.status_code == 200, url
        (tmp_path / name).write_bytes(response.data)
    checks = [line for line in commands if line.startswith("python -m giveaway.verify")]
    assert any("--caption 'gdraw-v2 " in line for line in checks)
    for line in checks:
        line = line.replace("VOTRE_IDENTIFIANT", "1000")  # participant_00's account number
        done = subprocess.run([sys.executable, *shlex.split(line)[1:]], cwd=tmp_path,
                              capture_output=True, text=True, encoding="utf-8", timeout=120,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        assert done.stdout.rstrip().endswith("VERIFIED: every check passed"), done.stdout
        if "--entry" in line:
            assert "inclusion: the audit path leads to entries.merkle_root" in done.stdout


def test_the_verifier_wheel_installs_and_verifies_alone(contest, client, tmp_path):
    response = client.get(f"/c/verify/{wheel_name()}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert client.get(f"/c/verify/{wheel_name()}").data == response.data  # the same bytes
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "giveaway/verify.py" in names and "giveaway/core/verification.py" in names
    assert not any(name.startswith(("giveaway/public", "giveaway/draws")) for name in names)
    wheel = tmp_path / wheel_name()
    wheel.write_bytes(response.data)
    target = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                                "--disable-pip-version-check", "--target", str(target),
                                str(wheel)], capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stderr  # pip checks the wheel and its RECORD
    (tmp_path / "c.json").write_bytes(client.get(f"/c/{contest.public_id}.json").data)
    (tmp_path / "leaves.txt").write_bytes(client.get(f"/c/{contest.public_id}/leaves.txt").data)
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONIOENCODING": "utf-8"}
    where = subprocess.run([sys.executable, "-c", "import giveaway; print(giveaway.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert where.stdout.startswith(str(target)), where  # the wheel's, not this checkout's
    done = subprocess.run([sys.executable, "-m", "giveaway.verify", "c.json", "--leaves",
                           "leaves.txt"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 0, (done.stdout, done.stderr)


def test_the_protocol_is_served_as_a_page(app, client):
    french = page_in(client, "fr", "/c/verify/protocol")
    assert "n'existe qu'en anglais" in french
    text = visible_text(french)
    assert "The draw protocol (gdraw-v2, and gdraw-v1)" in text
    assert "<script>" not in french
    assert "n'existe qu'en anglais" not in page_in(client, "en", "/c/verify/protocol")


def test_a_missing_json_document_answers_json(app, client):
    opened = make_contest(public_id="ouvert")
    lifecycle.open_contest(opened, "test")
    for path in ("/c/inconnu.json", "/c/inconnu/followup.json", "/c/inconnu/declaration.json",
                 "/c/ouvert.json", "/c/ouvert/followup.json"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/json", path
        assert response.get_json()["error"] == "not_found"
    assert client.get("/c/inconnu.json").get_json()["message"] == (
        "Rien n'est publié à cette adresse.")
    page = client.get("/c/inconnu")
    assert page.status_code == 404 and page.mimetype == "text/html"
