import pytest

from loket.channels import registry
from loket.channels import selectors as channel_selectors
from loket.channels import services as channel_services
from loket.channels.connectors.generic.signing import sign
from loket.channels.models import ChannelAccount
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


@pytest.mark.django_db
def test_seeding_twice_keeps_the_same_channel_accounts_and_secrets() -> None:
    demo_cast.seed()
    first = _demo_accounts()
    demo_cast.seed()
    again = _demo_accounts()
    assert again == first
    assert sorted(name for _org, name, _id, _secret in first) == sorted(
        channel.name for channel in demo_cast.CHANNELS
    )
    connector = registry.connector("generic")
    body = b'{"probe": true}'
    for _org, _name, public_id, secret in first:
        account = ChannelAccount.objects.get(public_id=public_id)
        assert account.connector == "generic"
        # Signed with the secret read back after the first seeding: still accepted.
        assert connector.verify(
            headers={"X-Loket-Signature": sign(body, secret)},
            body=body,
            secret=channel_services.account_secret(account),
        )


@pytest.mark.django_db
def test_every_demo_municipality_and_the_flemish_government_have_channels() -> None:
    demo_cast.seed()
    for item in demo_cast.ORGANISATIONS:
        if item.kind == "municipality" or item.slug == "vlaamse-overheid":
            organisation = Organisation.objects.get(slug=item.slug)
            accounts = list(channel_selectors.accounts_of(organisation))
            assert len(accounts) >= 2, item.slug
            assert all(account.team is not None for account in accounts)


def _demo_accounts() -> list[tuple[str, str, str, str]]:
    return sorted(
        (
            account.organisation.slug,
            account.name,
            str(account.public_id),
            channel_services.account_secret(account),
        )
        for account in ChannelAccount.objects.filter(connector="generic").select_related(
            "organisation"
        )
    )
