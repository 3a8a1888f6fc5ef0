"""Connectors are found through the `loket.connectors` entry-point group; the core never imports
a concrete connector."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from loket.channels.contracts import Connector

ENTRY_POINT_GROUP = "loket.connectors"


class UnknownConnector(LookupError):
    pass


@cache
def connectors() -> dict[str, Connector]:
    found: dict[str, Connector] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        connector = entry.load()()
        found[connector.name] = connector
    return found


def connector(name: str) -> Connector:
    try:
        return connectors()[name]
    except KeyError:
        raise UnknownConnector(name) from None
