"""A real OpenID Connect provider for the login tests, started once per test session.

Loket's side runs in the Django test client and talks to the provider over real HTTP for the
token, userinfo and key requests; see provider.py for the provider itself.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from .provider import LOOPBACK, OIDCProvider, prepare, start, stop


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OIDCProvider]:
    """A running django-oidc-provider with Loket registered as a confidential client."""
    data_dir = tmp_path_factory.mktemp("oidc-provider")
    client_id = "loket-" + secrets.token_hex(4)
    client_secret = secrets.token_urlsafe(32)
    password = secrets.token_urlsafe(16)
    prepared = prepare(data_dir, client_id, client_secret, password)

    with pytest.MonkeyPatch.context() as patch:
        # Loket's back-channel requests honour proxy variables: keep loopback direct.
        for name in ("NO_PROXY", "no_proxy"):
            existing = os.environ.get(name, "")
            patch.setenv(name, ",".join(filter(None, [existing, LOOPBACK, "localhost"])))
        process, base_url = start(data_dir, prepared.key_id, data_dir / "provider.log")
        try:
            yield OIDCProvider(
                base_url=base_url,
                client_id=client_id,
                client_secret=client_secret,
                password=password,
                subjects=prepared.subjects,
            )
        finally:
            stop(process)
