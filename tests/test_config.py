"""Configuration from the environment."""

import pytest

from config import ConfigError, load_config
from convene import create_app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        load_config("production", tmp_path)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app("production")


def test_development_keeps_a_generated_key_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config("development", tmp_path)["SECRET_KEY"]
    second = load_config("development", tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_and_database_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgres://convene@db.internal/convene")
    config = load_config("production", tmp_path)
    assert config["SECRET_KEY"] == "from-the-environment"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://convene@db.internal/convene"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = load_config("development", tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'convene.sqlite'}"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_mail_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "false")
    config = load_config("development", tmp_path)
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"]) == (
        "smtp.example.org",
        2525,
        False,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MAIL_PORT", "twenty-five", "MAIL_PORT must be a whole number"),
        ("CONVENE_ENV", "staging", "CONVENE_ENV must be one of"),
    ],
)
def test_bad_settings_are_explained(monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_config(None, tmp_path)
