"""Appending to a case's history: every change to a case is a row here."""

from __future__ import annotations

from typing import Any

from loket.inbox.models import Case, CaseEvent, CaseEventKind


def record(
    case: Case, kind: CaseEventKind, *, actor: Any = None, data: dict[str, Any] | None = None
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_name=actor.get_username() if actor is not None else "",
        data=data or {},
    )
