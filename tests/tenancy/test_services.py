"""Organisations, teams and memberships: the rules the services keep."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.tenancy import selectors, services
from loket.tenancy.models import AuditEvent, Membership, Organisation, User

pytestmark = pytest.mark.django_db


def organisation(slug: str = "testgem", **values: object) -> Organisation:
    defaults: dict[str, object] = {"name": "Testgemeente", "kind": "municipality"}
    defaults.update(values)
    return services.upsert_organisation(slug=slug, **defaults)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given_number", "stored"),
    [
        ("0207.446.772", "0207446772"),
        ("BE 0207 446 772", "0207446772"),
        ("207446772", "0207446772"),
    ],
)
def test_kbo_numbers_are_checked_and_stored_compact(given_number: str, stored: str) -> None:
    assert organisation(kbo_number=given_number).kbo_number == stored


@pytest.mark.parametrize("bad", ["0207.446.771", "12345", "BE0207446772X", "abcdefghij"])
def test_a_bad_kbo_number_is_a_field_error(bad: str) -> None:
    with pytest.raises(ValidationError) as raised:
        organisation(kbo_number=bad)
    assert "kbo_number" in raised.value.error_dict


@given(text=st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_any_text_as_kbo_number_is_either_valid_or_a_clear_error(text: str) -> None:
    number, fields = None, set()
    try:
        number = services.normalise_kbo_number(text)
    except ValidationError as error:
        fields = set(error.error_dict)
    if number is None:
        assert fields == {"kbo_number"}
    else:
        assert number == "" or (len(number) == 10 and number.isdigit())


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("nis_code", {"nis_code": "1234"}),
        ("nis_code", {"nis_code": "12a45"}),
        ("languages", {"languages": []}),
        ("languages", {"languages": ["nl", "xx"]}),
        ("kind", {"kind": "kingdom"}),
    ],
)
def test_bad_organisation_fields_are_field_errors(field: str, values: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as raised:
        organisation(**values)
    assert field in raised.value.error_dict


def test_an_organisation_cannot_become_its_own_ancestor() -> None:
    top = organisation("top")
    middle = organisation("middle", parent=top)
    with pytest.raises(ValidationError) as raised:
        organisation("top", parent=middle)
    assert "parent" in raised.value.error_dict


def test_upsert_is_idempotent() -> None:
    first = organisation(population=100)
    second = organisation(population=200)
    assert first.pk == second.pk
    assert Organisation.objects.get(pk=first.pk).population == 200


def test_team_names_are_unique_per_organisation_ignoring_case() -> None:
    a, b = organisation("a"), organisation("b")
    services.save_team(organisation=a, name="Onthaal")
    services.save_team(organisation=b, name="Onthaal")  # another organisation: fine
    with pytest.raises(ValidationError) as raised:
        services.save_team(organisation=a, name="  onthaal ")
    assert "name" in raised.value.error_dict


def test_a_team_of_another_organisation_cannot_be_used() -> None:
    a, b = organisation("a"), organisation("b")
    team_of_b = services.save_team(organisation=b, name="Onthaal")
    user = services.upsert_user(username="jan")
    with pytest.raises(ValidationError):
        services.set_membership(organisation=a, user=user, role="agent", team=team_of_b)
    with pytest.raises(ValidationError):
        services.save_team(organisation=a, name="Overgenomen", team=team_of_b)


def test_role_changes_are_audited_with_before_and_after() -> None:
    org = organisation()
    boss = services.upsert_user(username="boss")
    jan = services.upsert_user(username="jan")
    services.set_membership(organisation=org, user=boss, role="admin")
    services.set_membership(organisation=org, user=jan, role="agent", actor=boss)
    services.set_membership(organisation=org, user=jan, role="coordinator", actor=boss)
    change = AuditEvent.objects.get(action="role_changed")
    assert change.actor == boss
    assert change.organisation == org
    assert change.details == {"user": "jan", "from": "agent", "to": "coordinator"}
    assert AuditEvent.objects.filter(action="membership_granted").count() == 2


def test_the_last_administrator_cannot_leave_or_be_demoted() -> None:
    org = organisation()
    boss = services.upsert_user(username="boss")
    membership = services.set_membership(organisation=org, user=boss, role="admin")
    with pytest.raises(ValidationError):
        services.set_membership(organisation=org, user=boss, role="agent", actor=boss)
    with pytest.raises(ValidationError):
        services.revoke_membership(membership=membership, actor=boss)
    assert Membership.objects.get(pk=membership.pk).role == "admin"


def test_an_unknown_role_is_refused() -> None:
    org = organisation()
    user = services.upsert_user(username="jan")
    with pytest.raises(ValidationError) as raised:
        services.set_membership(organisation=org, user=user, role="king")
    assert "role" in raised.value.error_dict


def test_organisation_detail_changes_are_audited_with_what_changed() -> None:
    org = organisation(population=1000)
    boss = services.upsert_user(username="boss")
    services.update_organisation_details(
        organisation=org,
        actor=boss,
        name="Testgemeente",
        kbo_number="0207.446.772",
        nis_code="",
        languages=["nl"],
        population=1200,
    )
    event = AuditEvent.objects.get(action="organisation_changed")
    assert event.details["changed"] == {
        "kbo_number": ["", "0207446772"],
        "population": [1000, 1200],
    }


def test_a_kbo_number_belongs_to_one_organisation() -> None:
    organisation("a", kbo_number="0207.446.772")
    other = organisation("b")
    boss = services.upsert_user(username="boss")
    with pytest.raises(ValidationError) as raised:
        services.update_organisation_details(
            organisation=other,
            actor=boss,
            name="B",
            kbo_number="0207446772",
            nis_code="",
            languages=["nl"],
            population=None,
        )
    assert "kbo_number" in raised.value.error_dict


def test_a_user_sees_only_organisations_they_belong_to(cast: None) -> None:
    anna = User.objects.get(username="anna")
    assert [o.slug for o in selectors.organisations_of(anna)] == ["stad-voorbeeld"]
    assert selectors.access_to(anna, "vlaamse-overheid") is None
    assert selectors.access_to(anna, "stad-voorbeeld") is not None
