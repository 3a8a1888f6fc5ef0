from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "loket.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from loket.channels.services import ACCOUNT_HEALTH_CHANGED, INBOUND_EVENT_STORED
        from loket.inbox import notifications
        from loket.inbox.tasks import wake_intake
        from loket.kernel import events

        # After the commit: a drain task never starts before the event it should see exists.
        events.subscribe(INBOUND_EVENT_STORED, wake_intake)
        events.subscribe(ACCOUNT_HEALTH_CHANGED, notifications.profile_health_changed)
