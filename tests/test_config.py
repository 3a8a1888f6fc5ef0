"""Configuration from the environment: typed, named in errors, unsafe defaults refused."""

from __future__ import annotations

import pytest

from loket.config import DEMO_SECRET_KEY, ConfigurationError, load_config

GOOD_KEY = "a-long-and-varied-secret-key-for-the-configuration-tests-42"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A clean slate: no LOKET_* or DATABASE_URL from the surrounding shell."""
    import os

    for name in list(os.environ):
        if name.startswith("LOKET_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    return monkeypatch


def test_production_with_a_real_key_loads(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("LOKET_SECRET_KEY", GOOD_KEY)
    config = load_config()
    assert config.demo is False
    assert config.serves_https is True
    assert config.port == 8000
    assert config.host == "127.0.0.1"


@pytest.mark.parametrize("key", ["", DEMO_SECRET_KEY, "short-key", "k" * 60])
def test_production_refuses_a_missing_default_or_short_secret(
    environment: pytest.MonkeyPatch, key: str
) -> None:
    environment.setenv("LOKET_SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="LOKET_SECRET_KEY"):
        load_config()


def test_production_refuses_debug(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("LOKET_SECRET_KEY", GOOD_KEY)
    environment.setenv("LOKET_DEBUG", "1")
    with pytest.raises(ConfigurationError, match="LOKET_DEBUG"):
        load_config()


def test_demo_mode_allows_the_default_key_and_plain_http(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("LOKET_DEMO", "1")
    config = load_config()
    assert config.effective_secret_key == DEMO_SECRET_KEY
    assert config.serves_https is False


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("LOKET_PORT", "eighty", "LOKET_PORT"),
        ("LOKET_PORT", "70000", "LOKET_PORT"),
        ("LOKET_DEMO", "perhaps", "LOKET_DEMO"),
        ("LOKET_TIME_ZONE", "Europe/Atlantis", "LOKET_TIME_ZONE"),
        ("DATABASE_URL", "mysql://db/loket", "DATABASE_URL"),
        ("LOKET_LOG_LEVEL", "LOUD", "LOKET_LOG_LEVEL"),
        ("LOKET_WEB_WORKERS", "0", "LOKET_WEB_WORKERS"),
    ],
)
def test_a_malformed_value_names_its_variable(
    environment: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    environment.setenv("LOKET_DEMO", "1")
    environment.setenv(variable, value)
    with pytest.raises(ConfigurationError) as raised:
        load_config()
    assert named in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_malformed_secret_is_never_echoed(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("LOKET_SECRET_KEY", "tiny-but-secret")
    with pytest.raises(ConfigurationError) as raised:
        load_config()
    assert "tiny-but-secret" not in str(raised.value)


def test_lists_are_comma_separated(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("LOKET_DEMO", "1")
    environment.setenv("LOKET_ALLOWED_HOSTS", "loket.example.be, www.loket.example.be ,")
    assert load_config().allowed_hosts == ["loket.example.be", "www.loket.example.be"]


def test_oidc_needs_all_endpoints_in_production(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("LOKET_SECRET_KEY", GOOD_KEY)
    environment.setenv("LOKET_OIDC_CLIENT_ID", "loket")
    with pytest.raises(ConfigurationError, match="LOKET_OIDC_CLIENT_ID"):
        load_config()
