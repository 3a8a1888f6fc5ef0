"""The case workflow as an explicit state machine.

    new → open → waiting on citizen / waiting on third party → answered → closed

Every allowed move is one row of TRANSITIONS; anything else raises IllegalTransition. A new
citizen message reopens a case (except one closed as spam or duplicate, which stays closed).
"""

from __future__ import annotations

from enum import StrEnum

from loket.inbox.models import CaseStatus, ClosingReason


class Action(StrEnum):
    OPEN = "open"  # an agent takes it up
    WAIT_ON_CITIZEN = "wait_on_citizen"
    WAIT_ON_THIRD_PARTY = "wait_on_third_party"
    ANSWER = "answer"  # a reply went out
    CLOSE = "close"
    REOPEN = "reopen"  # an agent reopens
    CITIZEN_WROTE = "citizen_wrote"  # a new message from the citizen


class IllegalTransition(Exception):
    def __init__(self, status: str, action: Action) -> None:
        super().__init__(f"a case that is {status} cannot {action.value.replace('_', ' ')}")
        self.status = status
        self.action = action


S = CaseStatus
_ACTIVE = (S.NEW, S.OPEN, S.WAITING_ON_CITIZEN, S.WAITING_ON_THIRD_PARTY, S.ANSWERED)

TRANSITIONS: dict[tuple[CaseStatus, Action], CaseStatus] = {
    (S.NEW, Action.OPEN): S.OPEN,
    **{(s, Action.WAIT_ON_CITIZEN): S.WAITING_ON_CITIZEN for s in _ACTIVE},
    **{(s, Action.WAIT_ON_THIRD_PARTY): S.WAITING_ON_THIRD_PARTY for s in _ACTIVE},
    **{(s, Action.ANSWER): S.ANSWERED for s in _ACTIVE},
    **{(s, Action.CLOSE): S.CLOSED for s in _ACTIVE},
    (S.ANSWERED, Action.REOPEN): S.OPEN,
    (S.CLOSED, Action.REOPEN): S.OPEN,
    (S.NEW, Action.CITIZEN_WROTE): S.NEW,
    (S.OPEN, Action.CITIZEN_WROTE): S.OPEN,
    (S.WAITING_ON_CITIZEN, Action.CITIZEN_WROTE): S.OPEN,
    (S.WAITING_ON_THIRD_PARTY, Action.CITIZEN_WROTE): S.OPEN,
    (S.ANSWERED, Action.CITIZEN_WROTE): S.OPEN,
    (S.CLOSED, Action.CITIZEN_WROTE): S.OPEN,
}
# A waiting case that the agent picks up again.
TRANSITIONS[(S.WAITING_ON_CITIZEN, Action.OPEN)] = S.OPEN
TRANSITIONS[(S.WAITING_ON_THIRD_PARTY, Action.OPEN)] = S.OPEN

# Closed for these reasons, a case stays closed when more arrives.
STAYS_CLOSED = {ClosingReason.SPAM, ClosingReason.DUPLICATE}


def next_status(status: str, action: Action, *, closing_reason: str = "") -> CaseStatus:
    current = CaseStatus(status)
    if action is Action.CITIZEN_WROTE and current is S.CLOSED and closing_reason in STAYS_CLOSED:
        return current
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(current, action) from None


def is_active(status: str) -> bool:
    return status != S.CLOSED
