import stat

from giveaway import create_app


def test_test_config_replaces_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GIVEAWAY_SQLALCHEMY_DATABASE_URI", "postgresql://prod/db")
    app = create_app({"TESTING": True}, instance_path=str(tmp_path))
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'giveaway.sqlite'}"


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("ORGANISER_HANDLE = 'from_file'\nWINNERS_MAX = 3\n")
    monkeypatch.setenv("GIVEAWAY_ORGANISER_HANDLE", "from_env")
    monkeypatch.setenv("GIVEAWAY_SESSION_COOKIE_SECURE", "false")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["ORGANISER_HANDLE"] == "from_env"
    assert app.config["WINNERS_MAX"] == 3
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_secret_key_is_generated_once_and_private(tmp_path):
    first = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    second = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_safe_cookie_defaults(tmp_path):
    config = create_app(instance_path=str(tmp_path)).config
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["BABEL_DEFAULT_LOCALE"] == "fr"
