import pytest

from loket.cli import demo_cast
from loket.tenancy.models import Membership, Organisation, Team, User


@pytest.mark.django_db
def test_seeding_twice_gives_the_same_cast() -> None:
    demo_cast.seed()
    counts = (
        Organisation.objects.count(),
        Team.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    demo_cast.seed()
    again = (
        Organisation.objects.count(),
        Team.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    assert counts == again
    assert counts[0] == len(demo_cast.ORGANISATIONS)


@pytest.mark.django_db
def test_anna_is_only_in_stad_voorbeeld() -> None:
    demo_cast.seed()
    anna = User.objects.get(username="anna")
    assert anna.check_password("demo")
    assert [m.organisation.slug for m in anna.memberships.all()] == ["stad-voorbeeld"]
