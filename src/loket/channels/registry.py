"""Connectors are found through the `loket.connectors` entry-point group; the core never imports
a concrete connector."""

from __future__ import annotations

import logging
from functools import cache
from importlib.metadata import entry_points
from typing import cast

from loket.channels.contracts import (
    Connector,
    HandshakeConnector,
    ModeratingConnector,
    PollingConnector,
    RoutingConnector,
)

ENTRY_POINT_GROUP = "loket.connectors"
logger = logging.getLogger(__name__)


class UnknownConnector(LookupError):
    pass


@cache
def connectors() -> dict[str, Connector]:
    """Every installed connector that loads; one that fails is logged and left out, so that
    its profiles' conversations stay readable while the rest of Loket works."""
    found: dict[str, Connector] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            connector = entry.load()()
        except Exception:
            logger.exception("connector %s could not be loaded", entry.name)
            continue
        found[connector.name] = connector
    return found


def connector(name: str) -> Connector:
    try:
        return connectors()[name]
    except KeyError:
        raise UnknownConnector(name) from None


def as_handshaking(plugin: Connector) -> HandshakeConnector | None:
    return (
        cast(HandshakeConnector, plugin) if callable(getattr(plugin, "handshake", None)) else None
    )


def as_polling(plugin: Connector) -> PollingConnector | None:
    has = callable(getattr(plugin, "poll", None))
    return cast(PollingConnector, plugin) if has else None


def as_moderating(plugin: Connector) -> ModeratingConnector | None:
    return (
        cast(ModeratingConnector, plugin) if callable(getattr(plugin, "moderate", None)) else None
    )


def as_routing(plugin: Connector) -> RoutingConnector | None:
    has = callable(getattr(plugin, "split", None)) and callable(
        getattr(plugin, "routing_key", None)
    )
    return cast(RoutingConnector, plugin) if has else None
