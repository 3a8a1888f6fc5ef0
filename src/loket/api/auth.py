"""Who is calling: a personal access token (`Authorization: Bearer loket_…`) or the browser's
signed-in session, whose unsafe requests need the CSRF token as everywhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from loket.tenancy import tokens

if TYPE_CHECKING:
    from loket.tenancy.models import User


class BearerToken(HttpBearer):
    """A token made with `loket tokens create --user NAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return tokens.authenticate(token.strip())


class BrowserSession(SessionAuth):
    """The session cookie of a signed-in person; CSRF is checked only when it is what counts.

    A request that carries an Authorization header is judged by that header alone: a wrong
    token never falls back to a cookie that happens to be there.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [BearerToken(), BrowserSession(csrf=True)]
