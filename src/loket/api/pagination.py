"""The `next` links of list answers; the pages themselves come from the inbox selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    pass


def next_link(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's URL with every parameter kept and the cursor moved on, or None."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
