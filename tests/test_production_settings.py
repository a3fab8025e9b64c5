"""``wsgi.py`` refuses to serve with unsafe settings, naming the setting to change."""
import subprocess
import sys
from pathlib import Path

import pytest

from giveaway import create_app
from giveaway.factory import MissingSetting, require_production_settings
from giveaway.production import web_workers

ROOT = Path(__file__).parents[1]
GOOD_KEY = "k" * 32


def _app(tmp_path, **settings):
    return create_app({"SECRET_KEY": GOOD_KEY, "PUBLIC_URL": "https://jeux.example.fr",
                       **settings}, instance_path=str(tmp_path))


def _refusal(app) -> str:
    with pytest.raises(MissingSetting) as info:
        require_production_settings(app)
    return str(info.value)


def test_sound_settings_are_accepted(tmp_path):
    require_production_settings(_app(tmp_path, WEB_WORKERS=1))
    require_production_settings(_app(tmp_path, WEB_WORKERS=4,
                                     RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0"))


def test_memory_rate_limits_with_several_workers_are_refused(tmp_path):
    message = _refusal(_app(tmp_path, WEB_WORKERS=4))
    assert "4 workers" in message and "GIVEAWAY_REDIS_URL" in message


def test_redis_url_gives_the_rate_limits_a_shared_storage(tmp_path):
    app = _app(tmp_path, WEB_WORKERS=4, REDIS_URL="redis://127.0.0.1:6379/0")
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    require_production_settings(app)


def test_the_worker_count_is_read_from_gunicorn(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = _app(tmp_path)
    assert web_workers(app, ["/usr/bin/gunicorn", "-w", "4", "wsgi:app"], {}) == 4
    assert web_workers(app, ["gunicorn", "--workers=3", "wsgi:app"], {}) == 3
    assert web_workers(app, ["gunicorn", "-w2", "wsgi:app"], {}) == 2
    assert web_workers(app, ["gunicorn", "wsgi:app"], {"GUNICORN_CMD_ARGS": "--workers 5"}) == 5
    assert web_workers(app, ["gunicorn", "wsgi:app"], {"WEB_CONCURRENCY": "3"}) == 3
    assert web_workers(app, ["gunicorn", "wsgi:app"], {}) == 1  # gunicorn's default
    assert web_workers(app, ["gunicorn", "-c", "conf.py", "wsgi:app"], {}) is None
    (tmp_path / "gunicorn.conf.py").write_text("workers = 4\n")
    assert web_workers(app, ["gunicorn", "wsgi:app"], {}) is None
    assert web_workers(app, ["-c"], {}) == 1  # not gunicorn: python -c "import wsgi"
    app.config["WEB_WORKERS"] = 2
    assert web_workers(app, ["gunicorn", "-w", "8"], {}) == 2  # the setting wins
    monkeypatch.setattr(sys, "argv", ["gunicorn", "-c", "conf.py", "wsgi:app"])
    assert "number of workers is unknown" in _refusal(_app(tmp_path))


def test_debug_mode_is_refused(tmp_path):
    assert "debug mode is on" in _refusal(_app(tmp_path, DEBUG=True))


def test_short_keys_are_refused(tmp_path):
    assert "SECRET_KEY is shorter than 32 bytes" in _refusal(_app(tmp_path, SECRET_KEY="x"))
    message = _refusal(_app(tmp_path, SEED_KEYS=["short", GOOD_KEY]))
    assert "first key of SEED_KEYS" in message
    require_production_settings(_app(tmp_path, SEED_KEYS=[GOOD_KEY, "old and short"]))


def _import_wsgi(tmp_path, monkeypatch, argv=None, **env):
    monkeypatch.setenv("GIVEAWAY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("GIVEAWAY_PUBLIC_URL", "https://jeux.example.fr")
    for name in ("GIVEAWAY_SECRET_KEY", "GIVEAWAY_REDIS_URL", "GIVEAWAY_DEBUG", "FLASK_DEBUG",
                 "GIVEAWAY_WEB_WORKERS", "GIVEAWAY_RATELIMIT_STORAGE_URI", "WEB_CONCURRENCY",
                 "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = f"import sys; sys.argv = {argv!r}; import wsgi" if argv else "import wsgi"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=str(ROOT))


def test_wsgi_names_every_problem_at_start_up(tmp_path, monkeypatch):
    refused = _import_wsgi(tmp_path, monkeypatch, ["gunicorn", "-w", "4", "wsgi:app"],
                           GIVEAWAY_SECRET_KEY="short", GIVEAWAY_DEBUG="true")
    assert refused.returncode != 0
    for words in ("SECRET_KEY is shorter", "debug mode is on", "4 workers serve"):
        assert words in refused.stderr
    assert "Traceback" not in refused.stderr
    ok = _import_wsgi(tmp_path, monkeypatch, ["gunicorn", "-w", "4", "wsgi:app"],
                      GIVEAWAY_REDIS_URL="redis://127.0.0.1:6379/0")
    assert ok.returncode == 0, ok.stderr


def test_an_e_mail_as_the_public_operator_label_is_refused(tmp_path):
    message = _refusal(_app(tmp_path, WEB_WORKERS=1, OPERATOR_PUBLIC_LABEL="cm@gers.fr"))
    assert "OPERATOR_PUBLIC_LABEL" in message
