"""Test helpers for the Meta connectors: sign a delivery as Meta does, post it to the real
webhook view, create a profile, and fuzz payloads. Used by the connectors' tests only."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.test import Client
from hypothesis import strategies as st

from loket.channels import services
from loket.channels.connectors.meta_common.signature import SIGNATURE_HEADER, sign
from loket.channels.contracts import InboundMessage, PayloadError
from loket.channels.models import ChannelAccount
from loket.tenancy import services as tenancy_services

JsonPath = tuple[str | int, ...]


def create_profile(*, connector: str, config: Mapping[str, Any], app_secret: str) -> ChannelAccount:
    """A profile of a municipality, with Meta's app secret as its webhook secret."""
    organisation = tenancy_services.upsert_organisation(
        slug="stad-voorbeeld", name="Stad Voorbeeld", kind="municipality"
    )
    account, _secret = services.create_account(
        organisation=organisation,
        connector=connector,
        name=f"Stad Voorbeeld op {connector}",
        config=config,
        secret=app_secret,
    )
    return account


def hook_url(account: ChannelAccount) -> str:
    return f"/hooks/{account.connector}/{account.public_id}"


def deliver(
    client: Client,
    account: ChannelAccount,
    body: bytes,
    *,
    app_secret: str | None,
    signature: str | None = None,
) -> Any:
    """POST a delivery like Meta: the raw body, signed with the app secret (None: unsigned)."""
    headers = {}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    elif app_secret is not None:
        headers[SIGNATURE_HEADER] = sign(body, app_secret)
    return client.post(
        hook_url(account), data=body, content_type="application/json", headers=headers
    )


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value, nested a little: hostile input for a parser."""
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
        ),
        max_leaves=20,
    )


def _paths(node: Any, prefix: JsonPath = ()) -> list[JsonPath]:
    found: list[JsonPath] = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def mutations(draw: st.DrawFn, document: Any) -> bytes:
    """The document with one value anywhere in it replaced by any JSON value, or removed."""
    changed = copy.deepcopy(document)
    path = draw(st.sampled_from([path for path in _paths(changed) if path]))
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    if draw(st.booleans()):
        parent[path[-1]] = draw(json_values())
    else:
        del parent[path[-1]]
    return json.dumps(changed).encode()


@st.composite
def truncations(draw: st.DrawFn, body: bytes) -> bytes:
    return body[: draw(st.integers(min_value=0, max_value=max(len(body) - 1, 0)))]


def parses_or_refuses(parse: Callable[[bytes], list[InboundMessage]], body: bytes) -> None:
    """The only acceptable outcomes of hostile input: a list of messages or a PayloadError."""
    try:
        result = parse(body)
    except PayloadError as error:
        if not str(error):
            raise AssertionError("a PayloadError must say what is wrong") from error
        return
    if not isinstance(result, list) or not all(isinstance(m, InboundMessage) for m in result):
        raise AssertionError(f"parse returned {result!r}")
