"""OpenID Connect login against a real provider (django-oidc-provider, see conftest.py).

Loket runs in the Django test client; the person's browser at the provider is a
`requests.Session`; Loket's backend fetches the token, the userinfo and the signing keys from
the provider over HTTP, as in production.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.http import HttpResponse
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from loket.tenancy import selectors
from loket.tenancy.models import AuditAction, AuditEvent, User

from .provider import LOKET_CALLBACK_URL, OIDCProvider

OIDC_BACKEND = "loket.tenancy.oidc.LoketOIDCBackend"


@pytest.fixture
def sso(settings: SettingsWrapper, oidc_provider: OIDCProvider) -> OIDCProvider:
    """Loket with single sign-on switched on, pointing at the test provider."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.authorization_endpoint
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.token_endpoint
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.userinfo_endpoint
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.jwks_endpoint
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_TIMEOUT = 10
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]
    return oidc_provider


def start_sso(client: Client, provider: OIDCProvider) -> str:
    """Press the SSO button: Loket redirects to the provider's authorize URL."""
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    authorize_url = response["Location"]
    assert authorize_url.startswith(provider.authorization_endpoint + "?")
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["client_id"] == [provider.client_id]
    assert query["redirect_uri"] == [LOKET_CALLBACK_URL]
    assert query["response_type"] == ["code"]
    return authorize_url


def callback_path(callback_url: str) -> str:
    """The provider's redirect to Loket, as a path for the test client."""
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == LOKET_CALLBACK_URL
    return f"{parts.path}?{parts.query}"


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def sign_in_with_sso(client: Client, provider: OIDCProvider, username: str) -> HttpResponse:
    """The whole round trip for `username` at the provider; returns Loket's callback answer."""
    authorize_url = start_sso(client, provider)
    callback_url = provider.sign_in(authorize_url, username)
    return client.get(callback_path(callback_url))


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return None if user_id is None else User.objects.get(pk=user_id)


def template_names(response: HttpResponse) -> list[str]:
    return [template.name for template in response.templates]  # type: ignore[attr-defined]


def test_without_oidc_the_routes_answer_404_and_the_login_page_has_no_sso_button(
    client: Client, settings: SettingsWrapper, db: None
) -> None:
    settings.OIDC_ENABLED = False

    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=abc&state=def").status_code == 404
    assert b"/oidc/authenticate/" not in client.get("/login/").content


def test_login_page_offers_sso_when_enabled(client: Client, sso: OIDCProvider, db: None) -> None:
    assert b'href="/oidc/authenticate/"' in client.get("/login/").content


@pytest.mark.parametrize(
    ("username", "sent_email_verified"),
    [("nora.sso", True), ("anna.sso", True), ("bram.sso", False), ("carla.sso", None)],
)
def test_the_provider_sends_the_email_verified_claim_the_tests_rely_on(
    oidc_provider: OIDCProvider, username: str, sent_email_verified: bool | None
) -> None:
    """The provider itself, without Loket: code flow by hand, then its userinfo answer."""
    authorize_url = with_query(
        oidc_provider.authorization_endpoint,
        client_id=oidc_provider.client_id,
        redirect_uri=LOKET_CALLBACK_URL,
        response_type="code",
        scope="openid email profile",
        state=secrets.token_urlsafe(16),
    )
    code = parse_qs(urlsplit(oidc_provider.sign_in(authorize_url, username)).query)["code"][0]
    with oidc_provider.browser() as back_channel:
        token = back_channel.post(
            oidc_provider.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": LOKET_CALLBACK_URL,
                "client_id": oidc_provider.client_id,
                "client_secret": oidc_provider.client_secret,
            },
            timeout=10,
        )
        assert token.status_code == 200, token.text
        userinfo = back_channel.get(
            oidc_provider.userinfo_endpoint,
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
            timeout=10,
        ).json()

    person = oidc_provider.person(username)
    assert userinfo["sub"] == oidc_provider.subjects[username]
    assert userinfo["email"] == person.email
    assert userinfo.get("email_verified") is sent_email_verified
    assert ("email_verified" in userinfo) is (sent_email_verified is not None)


def test_first_sign_in_creates_an_account_without_membership(
    client: Client, sso: OIDCProvider, cast: None
) -> None:
    accounts_before = User.objects.count()

    response = sign_in_with_sso(client, sso, "nora.sso")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert User.objects.count() == accounts_before + 1
    user = User.objects.get(oidc_subject=sso.subjects["nora.sso"])
    assert user.email == "nora@provider.example"
    assert (user.first_name, user.last_name) == ("Nora", "Nieuwkomer")
    assert user.username == "nora.sso"
    assert not user.has_usable_password()
    assert signed_in_user(client) == user
    assert client.session[BACKEND_SESSION_KEY] == OIDC_BACKEND

    assert list(selectors.organisations_of(user)) == []
    home = client.get("/")
    assert home.status_code == 200
    assert "web/no_organisation.html" in template_names(home)

    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.OIDC_ACCOUNT_LINKED).exists()


def test_second_sign_in_finds_the_same_account(client: Client, sso: OIDCProvider, db: None) -> None:
    sign_in_with_sso(client, sso, "nora.sso")
    first = signed_in_user(client)
    accounts_after_first = User.objects.count()

    other_browser = Client()
    response = sign_in_with_sso(other_browser, sso, "nora.sso")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert first is not None
    assert signed_in_user(other_browser) == first
    assert User.objects.count() == accounts_after_first
    assert User.objects.filter(oidc_subject=sso.subjects["nora.sso"]).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=first).count() == 2


def test_a_vouched_for_email_links_the_one_local_account_once(
    client: Client, sso: OIDCProvider, cast: None
) -> None:
    anna = User.objects.get(username="anna")
    assert anna.email == "anna@demo.loket.invalid"
    assert anna.oidc_subject is None
    accounts_before = User.objects.count()

    response = sign_in_with_sso(client, sso, "anna.sso")

    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.oidc_subject == sso.subjects["anna.sso"]
    assert signed_in_user(client) == anna
    assert User.objects.count() == accounts_before
    linked = AuditEvent.objects.get(action=AuditAction.OIDC_ACCOUNT_LINKED)
    assert linked.actor == anna
    assert linked.details == {"subject": sso.subjects["anna.sso"]}
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=anna).count() == 1
    # Her memberships come with the account: the home page opens an organisation.
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith("/o/")

    sign_in_with_sso(Client(), sso, "anna.sso")

    assert AuditEvent.objects.filter(action=AuditAction.OIDC_ACCOUNT_LINKED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=anna).count() == 2


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("bram.sso", id="email_verified-false"),
        pytest.param("carla.sso", id="email_verified-absent"),
    ],
)
def test_an_email_the_provider_does_not_vouch_for_takes_over_no_account(
    client: Client, sso: OIDCProvider, cast: None, username: str
) -> None:
    person = sso.person(username)
    local = User.objects.get(email=person.email)
    accounts_before = User.objects.count()

    response = sign_in_with_sso(client, sso, username)

    assert response.status_code == 302
    assert User.objects.count() == accounts_before + 1
    newcomer = User.objects.get(oidc_subject=sso.subjects[username])
    assert newcomer != local
    assert newcomer.email == person.email
    assert signed_in_user(client) == newcomer
    local.refresh_from_db()
    assert local.oidc_subject is None
    assert not AuditEvent.objects.filter(action=AuditAction.OIDC_ACCOUNT_LINKED).exists()
    assert "web/no_organisation.html" in template_names(client.get("/"))


@pytest.mark.parametrize("situation", ["two-local-accounts", "local-account-already-linked"])
def test_a_vouched_for_email_links_nothing_without_exactly_one_unlinked_account(
    client: Client, sso: OIDCProvider, cast: None, situation: str
) -> None:
    anna = User.objects.get(username="anna")
    if situation == "two-local-accounts":
        User.objects.create_user("anna-second", email="ANNA@demo.loket.invalid")
    else:
        anna.oidc_subject = "subject-at-an-earlier-provider"
        anna.save(update_fields=["oidc_subject"])
    accounts_before = User.objects.count()

    sign_in_with_sso(client, sso, "anna.sso")

    assert User.objects.count() == accounts_before + 1
    newcomer = User.objects.get(oidc_subject=sso.subjects["anna.sso"])
    assert signed_in_user(client) == newcomer
    assert newcomer.username not in {"anna", "anna-second"}
    assert not AuditEvent.objects.filter(action=AuditAction.OIDC_ACCOUNT_LINKED).exists()


def test_a_tampered_state_signs_nobody_in(client: Client, sso: OIDCProvider, db: None) -> None:
    authorize_url = start_sso(client, sso)
    genuine = callback_path(sso.sign_in(authorize_url, "nora.sso"))
    tampered = with_query(genuine, state=secrets.token_urlsafe(24))

    response = client.get(tampered)

    # A state this session did not start is refused: back to the login page, with the alert.
    assert response.status_code == 302
    assert response["Location"] == "/login/?sso=failed"
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(oidc_subject=sso.subjects["nora.sso"]).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()

    # The untouched answer still works: only the state made the difference.
    assert client.get(genuine).status_code == 302
    assert signed_in_user(client) == User.objects.get(oidc_subject=sso.subjects["nora.sso"])


def test_a_callback_in_a_browser_that_did_not_start_the_login_fails(
    client: Client, sso: OIDCProvider, db: None
) -> None:
    callback = callback_path(sso.sign_in(start_sso(client, sso), "nora.sso"))

    other_browser = Client()
    response = other_browser.get(callback)

    assert response.status_code == 302
    assert response["Location"] == "/login/?sso=failed"
    assert SESSION_KEY not in other_browser.session
    assert not User.objects.filter(oidc_subject=sso.subjects["nora.sso"]).exists()


def test_an_error_from_the_provider_leads_to_the_failure_page(
    client: Client, sso: OIDCProvider, db: None
) -> None:
    # prompt=none for someone not signed in at the provider: it answers login_required.
    authorize_url = with_query(start_sso(client, sso), prompt="none")
    callback_url = sso.answer_without_sign_in(authorize_url)
    assert parse_qs(urlsplit(callback_url).query)["error"] == ["login_required"]

    response = client.get(callback_path(callback_url))

    assert response.status_code == 302
    assert response["Location"] == "/login/?sso=failed"
    assert SESSION_KEY not in client.session
    failure_page = client.get(response["Location"])
    assert failure_page.status_code == 200
    assert b'role="alert"' in failure_page.content


def test_the_provider_checks_loket_client_secret_on_the_back_channel(
    client: Client, sso: OIDCProvider, db: None, settings: SettingsWrapper
) -> None:
    """The code is redeemed at the provider itself: with a wrong client secret it refuses."""
    callback = callback_path(sso.sign_in(start_sso(client, sso), "nora.sso"))
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"

    # The provider's refusal (400 invalid_client) ends on the failure page, not in a 500.
    response = client.get(callback)
    assert response.status_code == 302
    assert response["Location"] == "/login/?sso=failed"

    assert SESSION_KEY not in client.session
    assert not User.objects.filter(oidc_subject=sso.subjects["nora.sso"]).exists()
