"""How Graph API answers become delivery receipts, and the shared payload types."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel

from loket.channels.connectors.meta_common.graph import (
    GraphError,
    is_graph_id,
    parse_error,
    receipt_for,
    retry_after,
)
from loket.channels.connectors.meta_common.payload import UnixTime, validate
from loket.channels.contracts import DeliveryStatus, PayloadError


def test_an_error_body_is_read_with_its_details() -> None:
    error = parse_error(
        400,
        {
            "error": {
                "message": "(#131047) Re-engagement message",
                "code": 131047,
                "error_subcode": "2494010",
                "error_data": {"details": "More than 24 hours have passed."},
                "fbtrace_id": "A1b2C3",
            }
        },
    )
    assert (error.code, error.subcode) == (131047, 2494010)
    assert "More than 24 hours" in error.describe()
    assert parse_error(502, {"error": "nope"}) == GraphError(http_status=502)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (GraphError(429), DeliveryStatus.RETRY),
        (GraphError(500), DeliveryStatus.RETRY),
        (GraphError(400, code=613), DeliveryStatus.RETRY),
        (GraphError(400, code=80001), DeliveryStatus.RETRY),
        (GraphError(400, code=130429), DeliveryStatus.RETRY),
        (GraphError(400, code=131056), DeliveryStatus.RETRY),
        (GraphError(400, code=100, transient=True), DeliveryStatus.RETRY),
        (GraphError(400, code=100), DeliveryStatus.FAILED),
        (GraphError(401, code=190), DeliveryStatus.FAILED),
        (GraphError(404), DeliveryStatus.FAILED),
    ],
)
def test_throttling_and_passing_errors_retry_the_rest_fails(
    error: GraphError, status: DeliveryStatus
) -> None:
    assert receipt_for(error, {}).status is status


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({}, None),
        ({"Retry-After": "30"}, timedelta(seconds=30)),
        ({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, None),
        ({"X-Business-Use-Case-Usage": '{"1": [{"estimated_time_to_regain_access": 0}]}'}, None),
        (
            {
                "Retry-After": "30",
                "X-Business-Use-Case-Usage": (
                    '{"1": [{"type": "pages", "estimated_time_to_regain_access": 3}],'
                    ' "2": [{"type": "messenger", "estimated_time_to_regain_access": 12}]}'
                ),
            },
            timedelta(minutes=12),
        ),
        ({"X-Business-Use-Case-Usage": "{not json"}, None),
        ({"X-Business-Use-Case-Usage": '[{"estimated_time_to_regain_access": 5}]'}, None),
        ({"Retry-After": "99999999"}, timedelta(hours=24)),
    ],
)
def test_the_wait_comes_from_retry_after_or_the_business_use_case_header(
    headers: dict[str, str], wait: timedelta | None
) -> None:
    assert retry_after(headers) == wait


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("104857392016482", True),
        ("104857392016482_771203948561230", True),
        ("", False),
        ("../me", False),
        ("12/comments", False),
        ("m_Vq3xbBzS9k7dQ2", False),
        (12, False),
    ],
)
def test_graph_ids(value: object, ok: bool) -> None:
    assert is_graph_id(value) is ok


class Stamped(BaseModel):
    at: UnixTime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1795860000, datetime(2026, 11, 28, 10, tzinfo=UTC)),
        ("1795860000", datetime(2026, 11, 28, 10, tzinfo=UTC)),
        (1795860000123, datetime(2026, 11, 28, 10, 0, 0, 123000, tzinfo=UTC)),
        ("2026-11-28T10:00:00+0000", datetime(2026, 11, 28, 10, tzinfo=UTC)),
    ],
)
def test_meta_times_in_seconds_milliseconds_or_iso(value: object, expected: datetime) -> None:
    assert validate(Stamped, {"at": value}, "x").at == expected


@pytest.mark.parametrize(
    "value", [True, None, "morgen", "2026-11-28T10:00:00", float("nan"), 10**40, -5, [1]]
)
def test_impossible_times_are_payload_errors(value: object) -> None:
    with pytest.raises(PayloadError, match=r"^x\.at: "):
        validate(Stamped, {"at": value}, "x")
