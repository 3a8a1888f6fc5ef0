from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "loket.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from loket.channels.services import INBOUND_EVENT_STORED
        from loket.inbox.tasks import wake_intake
        from loket.kernel import events

        # After the commit: a drain task never starts before the event it should see exists.
        events.subscribe(INBOUND_EVENT_STORED, wake_intake)
