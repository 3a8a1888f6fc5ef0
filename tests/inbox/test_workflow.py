"""The case workflow, transition by transition: every allowed move and every refused one."""

from __future__ import annotations

import pytest

from loket.inbox.models import CaseStatus as S
from loket.inbox.models import ClosingReason
from loket.inbox.workflow import TRANSITIONS, Action, IllegalTransition, next_status

A = Action
SCENARIOS = [
    # from, action, to
    (S.NEW, A.OPEN, S.OPEN),
    (S.NEW, A.ANSWER, S.ANSWERED),
    (S.NEW, A.CLOSE, S.CLOSED),
    (S.NEW, A.WAIT_ON_CITIZEN, S.WAITING_ON_CITIZEN),
    (S.NEW, A.WAIT_ON_THIRD_PARTY, S.WAITING_ON_THIRD_PARTY),
    (S.NEW, A.CITIZEN_WROTE, S.NEW),
    (S.OPEN, A.WAIT_ON_CITIZEN, S.WAITING_ON_CITIZEN),
    (S.OPEN, A.WAIT_ON_THIRD_PARTY, S.WAITING_ON_THIRD_PARTY),
    (S.OPEN, A.ANSWER, S.ANSWERED),
    (S.OPEN, A.CLOSE, S.CLOSED),
    (S.OPEN, A.CITIZEN_WROTE, S.OPEN),
    (S.WAITING_ON_CITIZEN, A.CITIZEN_WROTE, S.OPEN),
    (S.WAITING_ON_CITIZEN, A.OPEN, S.OPEN),
    (S.WAITING_ON_CITIZEN, A.ANSWER, S.ANSWERED),
    (S.WAITING_ON_CITIZEN, A.CLOSE, S.CLOSED),
    (S.WAITING_ON_CITIZEN, A.WAIT_ON_THIRD_PARTY, S.WAITING_ON_THIRD_PARTY),
    (S.WAITING_ON_CITIZEN, A.WAIT_ON_CITIZEN, S.WAITING_ON_CITIZEN),
    (S.WAITING_ON_THIRD_PARTY, A.CITIZEN_WROTE, S.OPEN),
    (S.WAITING_ON_THIRD_PARTY, A.OPEN, S.OPEN),
    (S.WAITING_ON_THIRD_PARTY, A.ANSWER, S.ANSWERED),
    (S.WAITING_ON_THIRD_PARTY, A.CLOSE, S.CLOSED),
    (S.WAITING_ON_THIRD_PARTY, A.WAIT_ON_CITIZEN, S.WAITING_ON_CITIZEN),
    (S.WAITING_ON_THIRD_PARTY, A.WAIT_ON_THIRD_PARTY, S.WAITING_ON_THIRD_PARTY),
    (S.ANSWERED, A.CITIZEN_WROTE, S.OPEN),
    (S.ANSWERED, A.REOPEN, S.OPEN),
    (S.ANSWERED, A.CLOSE, S.CLOSED),
    (S.ANSWERED, A.ANSWER, S.ANSWERED),
    (S.ANSWERED, A.WAIT_ON_CITIZEN, S.WAITING_ON_CITIZEN),
    (S.ANSWERED, A.WAIT_ON_THIRD_PARTY, S.WAITING_ON_THIRD_PARTY),
    (S.CLOSED, A.CITIZEN_WROTE, S.OPEN),
    (S.CLOSED, A.REOPEN, S.OPEN),
]
REFUSED = [
    (S.NEW, A.REOPEN),
    (S.OPEN, A.OPEN),
    (S.OPEN, A.REOPEN),
    (S.ANSWERED, A.OPEN),
    (S.WAITING_ON_CITIZEN, A.REOPEN),
    (S.WAITING_ON_THIRD_PARTY, A.REOPEN),
    (S.CLOSED, A.OPEN),
    (S.CLOSED, A.ANSWER),
    (S.CLOSED, A.CLOSE),
    (S.CLOSED, A.WAIT_ON_CITIZEN),
    (S.CLOSED, A.WAIT_ON_THIRD_PARTY),
]


@pytest.mark.parametrize(("before", "action", "after"), SCENARIOS)
def test_allowed_transitions(before: S, action: Action, after: S) -> None:
    assert next_status(before, action) is after


@pytest.mark.parametrize(("before", "action"), REFUSED)
def test_refused_transitions(before: S, action: Action) -> None:
    with pytest.raises(IllegalTransition):
        next_status(before, action)


def test_the_tables_cover_every_status_and_action() -> None:
    covered = {(b, a) for b, a, _ in SCENARIOS} | set(REFUSED)
    assert covered == {(s, a) for s in S for a in Action}
    assert {(b, a): c for b, a, c in SCENARIOS} == TRANSITIONS


@pytest.mark.parametrize("reason", [ClosingReason.SPAM, ClosingReason.DUPLICATE])
def test_spam_and_duplicates_stay_closed_when_the_citizen_writes(reason: str) -> None:
    assert next_status(S.CLOSED, A.CITIZEN_WROTE, closing_reason=reason) is S.CLOSED


@pytest.mark.parametrize("reason", [ClosingReason.RESOLVED, ClosingReason.NOT_FOR_US])
def test_other_closed_cases_reopen_when_the_citizen_writes(reason: str) -> None:
    assert next_status(S.CLOSED, A.CITIZEN_WROTE, closing_reason=reason) is S.OPEN
