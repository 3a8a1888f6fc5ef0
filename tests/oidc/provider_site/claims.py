"""The userinfo claims of the test provider.

django-oidc-provider's default leaves `email_verified` empty, and empty claims are dropped
from the answer: a stock installation never sends the claim. Here the provider's groups
decide it, so that the tests can have each of the three answers:

- member of EMAIL_VERIFIED_GROUP: `"email_verified": true`;
- member of EMAIL_UNVERIFIED_GROUP: `"email_verified": false`;
- neither: no `email_verified` claim at all (the stock behaviour).
"""

from typing import Any

EMAIL_VERIFIED_GROUP = "email-verified"
EMAIL_UNVERIFIED_GROUP = "email-unverified"


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["name"] = user.get_full_name()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.get_username()
    claims["email"] = user.email
    groups = set(user.groups.values_list("name", flat=True))
    if EMAIL_VERIFIED_GROUP in groups:
        claims["email_verified"] = True
    elif EMAIL_UNVERIFIED_GROUP in groups:
        claims["email_verified"] = False
    return claims
