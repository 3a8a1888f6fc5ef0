"""The test OpenID Connect provider: its people, how to start it, and a browser for it.

The provider is django-oidc-provider in its own small Django project (`provider_site`), with
its own SQLite database in a temporary directory, served by Django's development server on
a free port of 127.0.0.1 in a subprocess. `conftest.py` starts it once per test session.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

PROVIDER_PROJECT_DIR = Path(__file__).resolve().parent  # holds the provider_site package
LOKET_CALLBACK_URL = "http://testserver/oidc/callback/"
START_TIMEOUT_SECONDS = 20
PREPARE_TIMEOUT_SECONDS = 60
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class ProviderPerson:
    username: str
    email: str
    first_name: str
    last_name: str
    # True or False: the provider sends that `email_verified`; None: it sends no such claim.
    email_verified: bool | None


# People with an account at the provider. Their e-mail addresses are chosen against the
# demo cast (tests/conftest.py): anna@ and bram@demo.loket.invalid belong to Loket accounts.
PROVIDER_PEOPLE = (
    ProviderPerson("nora.sso", "nora@provider.example", "Nora", "Nieuwkomer", True),
    ProviderPerson("anna.sso", "anna@demo.loket.invalid", "Anna", "Aerts", True),
    ProviderPerson("bram.sso", "bram@demo.loket.invalid", "Bram", "Bosmans", False),
    ProviderPerson("carla.sso", "carla@demo.loket.invalid", "Carla", "Claes", None),
)


@dataclass
class OIDCProvider:
    """A running test provider and what Loket needs to know about it."""

    base_url: str
    client_id: str
    client_secret: str
    password: str
    subjects: dict[str, str] = field(default_factory=dict)

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.base_url}/openid/authorize"

    @property
    def token_endpoint(self) -> str:
        return f"{self.base_url}/openid/token"

    @property
    def userinfo_endpoint(self) -> str:
        return f"{self.base_url}/openid/userinfo"

    @property
    def jwks_endpoint(self) -> str:
        return f"{self.base_url}/openid/jwks"

    def person(self, username: str) -> ProviderPerson:
        return next(person for person in PROVIDER_PEOPLE if person.username == username)

    def browser(self) -> requests.Session:
        """A fresh browser for the provider's pages: its own cookies, no proxy."""
        browser = requests.Session()
        browser.trust_env = False
        return browser

    def sign_in(self, authorize_url: str, username: str) -> str:
        """Play the person in a browser: follow Loket's authorize URL, sign in at the
        provider's login page, and return the URL the provider sends the browser back to
        (Loket's callback with `code` and `state`), without following it."""
        with self.browser() as browser:
            to_login = browser.get(authorize_url, allow_redirects=False, timeout=10)
            assert to_login.status_code == 302, to_login.text
            login_url = urljoin(authorize_url, to_login.headers["Location"])
            assert urlsplit(login_url).path == "/accounts/login/"

            login_page = browser.get(login_url, timeout=10)
            assert login_page.status_code == 200
            csrf_token = _form_value(login_page.text, "csrfmiddlewaretoken")
            next_url = _form_value(login_page.text, "next")

            signed_in = browser.post(
                login_url,
                data={
                    "csrfmiddlewaretoken": csrf_token,
                    "username": username,
                    "password": self.password,
                    "next": next_url,
                },
                headers={"Referer": login_url},
                allow_redirects=False,
                timeout=10,
            )
            assert signed_in.status_code == 302, "the provider refused the sign-in"
            back_to_authorize = urljoin(login_url, signed_in.headers["Location"])
            assert back_to_authorize.startswith(self.authorization_endpoint)

            # No consent screen (the client does not require it): straight back to Loket.
            to_loket = browser.get(back_to_authorize, allow_redirects=False, timeout=10)
            assert to_loket.status_code == 302, to_loket.text
            return to_loket.headers["Location"]

    def answer_without_sign_in(self, authorize_url: str) -> str:
        """Follow an authorize URL in a browser that is not signed in at the provider and
        return where the provider redirects it (for `prompt=none`: back to Loket)."""
        with self.browser() as browser:
            response = browser.get(authorize_url, allow_redirects=False, timeout=10)
            assert response.status_code == 302, response.text
            return urljoin(authorize_url, response.headers["Location"])


def _form_value(page: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
    assert match, f"no {name} field in the provider's login form"
    return html.unescape(match.group(1))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _provider_environment(data_dir: Path, site_url: str = "") -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LOKET_", "DATABASE_URL", "PYTHON"))
    }
    env.update(
        PYTHONPATH=str(PROVIDER_PROJECT_DIR),
        DJANGO_SETTINGS_MODULE="provider_site.settings",
        PROVIDER_DATA_DIR=str(data_dir),
        PROVIDER_SECRET_KEY=secrets.token_urlsafe(40),
        PROVIDER_SITE_URL=site_url,
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass(frozen=True)
class Prepared:
    subjects: dict[str, str]  # the provider's `sub` for each of PROVIDER_PEOPLE
    key_id: str  # the `kid` of the provider's signing key


def prepare(data_dir: Path, client_id: str, client_secret: str, password: str) -> Prepared:
    """Create the provider's database in data_dir: tables, key, Loket's client, people."""
    spec_path = data_dir / "spec.json"
    spec_path.write_text(
        json.dumps(
            {
                "client": {
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "redirect_uri": LOKET_CALLBACK_URL,
                },
                "password": password,
                "users": [person.__dict__ for person in PROVIDER_PEOPLE],
            }
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "prepare_provider", str(spec_path)],
        env=_provider_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=PREPARE_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"preparing the OIDC provider failed:\n{result.stdout}\n{result.stderr}")
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return Prepared(subjects=dict(answer["subjects"]), key_id=str(answer["key_id"]))


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def start(data_dir: Path, key_id: str, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start the provider on a free port and wait until it answers with its own key.
    Retries with another port if the chosen one was taken in the meantime."""
    last_log = ""
    for _attempt in range(3):
        port = _free_port()
        base_url = f"http://{LOOPBACK}:{port}"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "django",
                    "runserver",
                    f"{LOOPBACK}:{port}",
                    "--noreload",
                    "--skip-checks",
                ],
                env=_provider_environment(data_dir, site_url=base_url),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            if _wait_until_answering(process, base_url, key_id):
                return process, base_url
        except BaseException:
            stop(process)
            raise
        stop(process)
        last_log = log_path.read_text(encoding="utf-8", errors="replace")
    pytest.fail(f"the OIDC provider did not start:\n{last_log}")


def _wait_until_answering(process: subprocess.Popen[bytes], base_url: str, key_id: str) -> bool:
    """True once the provider publishes its key. A server answering with other keys is
    someone else's on the same port: ours then fails to bind and exits, and this says False."""
    jwks = f"{base_url}/openid/jwks"
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with requests.Session() as probe:
        probe.trust_env = False
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                answer = probe.get(jwks, timeout=1)
                if answer.status_code == 200 and key_id in {
                    key.get("kid") for key in answer.json().get("keys", [])
                }:
                    return True
            except (requests.ConnectionError, requests.Timeout, ValueError):
                pass
            time.sleep(0.05)
    return False
