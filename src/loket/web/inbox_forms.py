"""Forms of the inbox pages. They parse and check the shape of input; the inbox services own
the rules (workflow, channel capabilities, membership)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from loket.channels.contracts import ModerationAction
from loket.inbox.models import CaseStatus, ClosingReason, Priority
from loket.inbox.workflow import Action
from loket.triage.contracts import MessageType, Sentiment
from loket.web.forms import LANGUAGE_CHOICES

MESSAGE_TYPE_LABELS = {
    MessageType.QUESTION: _("Question"),
    MessageType.COMPLAINT: _("Complaint"),
    MessageType.REPORT: _("Report"),
    MessageType.COMPLIMENT: _("Compliment"),
    MessageType.OPINION: _("Opinion"),
    MessageType.SPAM_ABUSE: _("Spam or abuse"),
    MessageType.OTHER: _("Other"),
}
SENTIMENT_LABELS = {
    Sentiment.NEGATIVE: _("Negative"),
    Sentiment.NEUTRAL: _("Neutral"),
    Sentiment.POSITIVE: _("Positive"),
}
MESSAGE_TYPE_CHOICES = [(str(key), label) for key, label in MESSAGE_TYPE_LABELS.items()]
SENTIMENT_CHOICES = [(str(key), label) for key, label in SENTIMENT_LABELS.items()]

# The status moves an agent makes by hand; "answer" happens by replying, "citizen wrote" by intake.
STATUS_ACTIONS = (
    Action.OPEN,
    Action.WAIT_ON_CITIZEN,
    Action.WAIT_ON_THIRD_PARTY,
    Action.REOPEN,
    Action.CLOSE,
)
ACTION_LABELS = {
    Action.OPEN: _("Take up"),
    Action.WAIT_ON_CITIZEN: _("Wait on citizen"),
    Action.WAIT_ON_THIRD_PARTY: _("Wait on third party"),
    Action.REOPEN: _("Reopen"),
    Action.CLOSE: _("Close the case"),
}


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    cast("forms.ChoiceField", form.fields[name]).choices = choices


class FilterForm(forms.Form):
    """The inbox filters, shown with the values of the current list (a GET form)."""

    query = forms.CharField(label=_("Subject contains"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active (not closed)")), ("all", _("All")), *CaseStatus.choices],
    )
    channel = forms.ChoiceField(label=_("Profile"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    message_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *MESSAGE_TYPE_CHOICES]
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGE_CHOICES]
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any priority")), *Priority.choices]
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"),
        required=False,
        choices=[("", _("Any sentiment")), *SENTIMENT_CHOICES],
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(
        self,
        *args: Any,
        channels: list[tuple[int, str]],
        teams: list[tuple[int, str]],
        people: list[tuple[int, str]],
        topics: list[str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        _set_choices(self, "channel", [("", _("All profiles")), *channels])
        _set_choices(self, "team", [("", _("All teams")), *teams])
        _set_choices(
            self,
            "assignee",
            [("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody")), *people],
        )
        _set_choices(self, "topic", [("", _("Any topic")), *((t, t) for t in topics)])


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"), strip=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000
    )
    visibility = forms.ChoiceField(label=_("Send as"), widget=forms.RadioSelect)
    to_message = forms.TypedChoiceField(
        label=_("In answer to"), required=False, coerce=int, empty_value=None
    )
    to_all = forms.BooleanField(label=_("Reply to all citizens of this case"), required=False)
    reopen = forms.BooleanField(required=False, widget=forms.HiddenInput)
    personal_data_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        visibilities: list[tuple[str, str]],
        targets: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)
        _set_choices(self, "visibility", visibilities)
        _set_choices(self, "to_message", [("", _("The latest citizen message")), *targets])


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only colleagues see notes. Mention someone with @username."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)


class AssignForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    assignee = forms.TypedChoiceField(
        label=_("Person"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        teams: list[tuple[int, str]],
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        _set_choices(self, "team", [("", _("No team")), *teams])
        _set_choices(self, "assignee", [("", _("Nobody")), *people])


class StatusForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[(str(a), ACTION_LABELS[a]) for a in STATUS_ACTIONS]
    )
    closing_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        required=False,
        choices=[("", _("Choose a reason")), *ClosingReason.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "priority_%s")
        super().__init__(*args, **kwargs)


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separate tags with commas."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tags_%s")
        super().__init__(*args, **kwargs)

    def tag_list(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class LabelForm(forms.Form):
    """The triage labels; a changed label is a correction that teaches triage."""

    message_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Unknown")), *MESSAGE_TYPE_CHOICES]
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=80)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Unknown")), *LANGUAGE_CHOICES]
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), required=False, choices=[("", _("Unknown")), *SENTIMENT_CHOICES]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "label_%s")
        super().__init__(*args, **kwargs)


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Merge into case number"),
        min_value=1,
        help_text=_("The messages of this case move there; this case closes as a duplicate."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "merge_%s")
        super().__init__(*args, **kwargs)


class SplitForm(forms.Form):
    messages = forms.TypedMultipleChoiceField(
        label=_("Messages for the new case"),
        coerce=int,
        error_messages={"required": _("Choose the messages to move into a new case.")},
    )

    def __init__(self, *args: Any, message_ids: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "split_%s")
        super().__init__(*args, **kwargs)
        _set_choices(self, "messages", [(pk, str(pk)) for pk in message_ids])


class RetryForm(forms.Form):
    delivery = forms.IntegerField(min_value=1)


class ModerateForm(forms.Form):
    """Hide, show again or delete a citizen's public comment on its platform; deleting is
    asked for a second time (`confirm`)."""

    message = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(
        choices=[(action.value, action.value) for action in ModerationAction]
    )
    confirm = forms.BooleanField(required=False)
