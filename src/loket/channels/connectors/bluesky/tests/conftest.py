from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from loket.channels.connectors.bluesky import xrpc
from loket.channels.connectors.bluesky.config import BlueskyConfig
from loket.channels.connectors.bluesky.tests.fake_pds import APP_PASSWORD, CITY_HANDLE, FakePds


@pytest.fixture(autouse=True)
def _no_sessions_from_other_tests() -> Iterator[None]:
    xrpc.sessions.forget()
    yield
    xrpc.sessions.forget()


@pytest.fixture
def pds(httpserver: HTTPServer) -> FakePds:
    return FakePds().install(httpserver)


@pytest.fixture
def config(httpserver: HTTPServer) -> BlueskyConfig:
    return BlueskyConfig.model_validate(
        {
            "service_url": httpserver.url_for("/"),
            "handle": CITY_HANDLE,
            "app_password": APP_PASSWORD,
            "timeout_seconds": 2,
        }
    )
