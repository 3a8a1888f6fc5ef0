"""The bell in the page header and the notifications page behind it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from loket.inbox import services
from loket.inbox.models import Case, Notification
from loket.tenancy.models import User
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db

PAGE = "/o/stad-voorbeeld/notifications/"
URGENT = "Er is brand in de Kerkstraat, de rook komt tot aan de school!"


@pytest.fixture(autouse=True)
def english(client: Client) -> None:
    """The UI in English, so that the assertions read the msgids (Dutch is the default)."""
    client.cookies["loket_language"] = "en"


@pytest.fixture
def case(generic: GenericAccount) -> Case:
    generic.post(event("e1", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?"))
    process_all()
    return Case.objects.get()


def mention(case: Case, text: str = "@anna kijk jij even?") -> None:
    services.add_note(case=case, actor=User.objects.get(username="bram"), text=text)


def bell(client: Client, url: str = "/o/stad-voorbeeld/") -> str:
    page = client.get(url).content.decode()
    start = page.index('class="notifications-link"')
    return page[start : page.index("</a>", start)]


def test_the_header_counts_ones_own_unread_notifications(
    case: Case, signed_in: Callable[[str], Client]
) -> None:
    mention(case)
    mention(case, "@anna en nog iets")
    anna = signed_in("anna")
    header = bell(anna)
    assert '<span class="badge">2</span>' in header
    assert "unread" in header
    # On every organisation page, in the shell.
    assert '<span class="badge">2</span>' in bell(anna, "/o/stad-voorbeeld/inbox/")
    bram = signed_in("bram")
    assert "badge" not in bell(bram)


def test_the_page_lists_only_ones_own_notifications_newest_first(
    generic: GenericAccount, case: Case, signed_in: Callable[[str], Client]
) -> None:
    mention(case)
    generic.post(event("e2", thread="post-2", text=URGENT))
    process_all()
    urgent = Case.objects.get(priority="urgent")
    services.assign(
        case=urgent,
        actor=User.objects.get(username="admin"),
        assignee=User.objects.get(username="bram"),
    )
    anna = signed_in("anna")
    page = anna.get(PAGE).content.decode()
    mentioned = page.index(f"Bram Janssens mentioned you in a note on case #{case.number}")
    urgent_at = page.index(f"Case #{urgent.number} is urgent")
    assert urgent_at < mentioned  # newest first
    assert "assigned" not in page  # bram's notification is bram's
    assert '<ul class="notification-list">' in page
    assert page.count('<span class="tag">New</span>') == 2
    bram_page = signed_in("bram").get(PAGE).content.decode()
    assert f"Ada Beheer assigned case #{urgent.number} to you" in bram_page
    assert "mentioned you" not in bram_page


def test_opening_a_notification_marks_it_read_and_opens_the_case(
    case: Case, signed_in: Callable[[str], Client]
) -> None:
    mention(case)
    notification = Notification.objects.get()
    anna = signed_in("anna")
    response = anna.get(f"{PAGE}{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/o/stad-voorbeeld/inbox/{case.number}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "badge" not in bell(anna)
    assert '<span class="tag">New</span>' not in anna.get(PAGE).content.decode()


def test_someone_elses_notification_is_not_found(
    case: Case, signed_in: Callable[[str], Client]
) -> None:
    mention(case)
    notification = Notification.objects.get()
    bram = signed_in("bram")
    assert bram.get(f"{PAGE}{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_is_a_post_with_csrf(case: Case, signed_in: Callable[[str], Client]) -> None:
    mention(case)
    mention(case, "@anna nog iets")
    services.add_note(case=case, actor=User.objects.get(username="anna"), text="@bram voor jou")
    anna = signed_in("anna")
    page = anna.get(PAGE).content.decode()
    assert 'action="/o/stad-voorbeeld/notifications/read/"' in page
    assert "Mark all as read" in page
    assert anna.get(f"{PAGE}read/").status_code == 405
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(User.objects.get(username="anna"))
    assert checked.post(f"{PAGE}read/").status_code == 403
    response = anna.post(f"{PAGE}read/", follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).get().recipient.username == "bram"
    assert "Mark all as read" not in anna.get(PAGE).content.decode()


def test_an_empty_page_says_what_will_come(signed_in: Callable[[str], Client]) -> None:
    page = signed_in("anna").get(PAGE).content.decode()
    assert "No notifications yet." in page


def test_non_members_get_404(case: Case, signed_in: Callable[[str], Client]) -> None:
    mention(case)
    notification = Notification.objects.get()
    carla = signed_in("carla")  # not a member of Stad Voorbeeld
    assert carla.get(PAGE).status_code == 404
    assert carla.get(f"{PAGE}{notification.pk}/").status_code == 404
    assert carla.post(f"{PAGE}read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_page_in_dutch(case: Case, signed_in: Callable[[str], Client]) -> None:
    mention(case)
    anna = signed_in("anna")
    anna.cookies["loket_language"] = "nl"
    page = anna.get(PAGE).content.decode()
    assert "Notificaties" in page
    assert f"Bram Janssens vermeldde je in een notitie bij dossier #{case.number}" in page


def test_the_header_caps_a_long_count(case: Case, signed_in: Callable[[str], Client]) -> None:
    anna = User.objects.get(username="anna")
    Notification.objects.bulk_create(
        Notification(
            organisation=case.organisation, recipient=anna, kind="mentioned", case=case, cause=n
        )
        for n in range(120)
    )
    assert '<span class="badge">99+</span>' in bell(signed_in("anna"))
