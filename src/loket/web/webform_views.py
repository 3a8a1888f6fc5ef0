"""`/form/<profile>/`: the public contact form of a web form profile, for anyone, no login.

GET shows the form (with `?embed=1` without the page shell, for an iframe on the
organisation's own website; `?lang=fr` in another language). POST checks it, stores the
submission in the channels ledger as an inbound event and shows the reference; the worker
turns it into a case like any other message.

Why not Django's CSRF protection here: embedded in an iframe on the municipality's site, this
page is a third-party context, where browsers withhold (SameSite) or block cookies, so the
CSRF cookie would be missing and every embedded submission refused. CSRF protects a signed-in
session from forged requests; this form has no session to abuse (whoever forges a submission
could just as well send it themselves). What a forged request could still do is flood the
inbox, and that is what the signed form token is for: issued at GET time for this profile,
it carries the submission's id (the idempotency key) and the moment the form was shown, so a
submission needs a form that Loket issued recently, not too quickly filled in, and sending it
twice stores one message. The page sets no cookie at all: the language travels in the URL.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from loket.channels import selectors as channel_selectors
from loket.channels import services as channel_services
from loket.channels.connectors.webform import event as webform_event
from loket.channels.connectors.webform.config import LANGUAGES, WebformConfig
from loket.channels.connectors.webform.tasks import send_confirmation
from loket.channels.contracts import PayloadError

logger = logging.getLogger(__name__)

CONNECTOR = "webform"
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
# A form filled in faster than this was filled in by a program.
MIN_FILL_SECONDS = 3
# A form shown longer ago than this is refused (and shown again with a fresh token).
TOKEN_MAX_AGE = 24 * 60 * 60
# Submissions per client address per profile, and per profile from everyone, in one window.
RATE_WINDOW_SECONDS = 10 * 60
RATE_PER_ADDRESS = 5
RATE_PER_PROFILE = 300
# Confirmations to one e-mail address per hour: a form must not become a way to bombard
# somebody's mailbox from many client addresses.
CONFIRMATIONS_PER_ADDRESS = 3
CONFIRMATION_WINDOW_SECONDS = 60 * 60
HONEYPOT = "website"


def now() -> float:
    """The clock of the form token (replaced in tests)."""
    return time.time()


# ---------------------------------------------------------------------------------------
# The signed form token


@dataclass(frozen=True)
class FormToken:
    submission_id: str
    issued_at: float


def issue_token(public_id: str, submission_id: str | None = None) -> str:
    return signing.dumps(
        {"id": submission_id or str(uuid.uuid4()), "t": round(now(), 3)},
        salt=_token_salt(public_id),
        compress=False,
    )


def read_token(value: str, public_id: str) -> FormToken | None:
    """The token's content, or None when it is not ours, was changed or is too old."""
    try:
        data = signing.loads(value, salt=_token_salt(public_id), max_age=TOKEN_MAX_AGE)
        token = FormToken(submission_id=str(uuid.UUID(str(data["id"]))), issued_at=float(data["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return token


def _token_salt(public_id: str) -> str:
    # Bound to the profile: a token of one form does not submit another.
    return f"loket.webform.token:{public_id}"


# ---------------------------------------------------------------------------------------
# The form


class ContactForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name (optional)"),
        required=False,
        max_length=webform_event.MAX_NAME,
        error_messages={"max_length": gettext_lazy("Your name must be 200 characters or fewer")},
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address (optional)"),
        required=False,
        max_length=webform_event.MAX_EMAIL,
        help_text=gettext_lazy("Only if you want an answer. We answer by e-mail."),
        error_messages={
            "required": gettext_lazy("Enter your e-mail address, so that we can answer you"),
            "invalid": gettext_lazy(
                "Enter an e-mail address in the correct format, like name@example.be"
            ),
            "max_length": gettext_lazy(
                "Enter an e-mail address in the correct format, like name@example.be"
            ),
        },
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject (optional)"),
        required=False,
        max_length=webform_event.MAX_SUBJECT,
        error_messages={"max_length": gettext_lazy("The subject must be 200 characters or fewer")},
    )
    message = forms.CharField(
        label=gettext_lazy("Your question or message"),
        max_length=webform_event.MAX_MESSAGE,
        help_text=gettext_lazy("At most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": gettext_lazy("Enter your question or message"),
            "max_length": gettext_lazy(
                "Your message must be 5,000 characters or fewer (it has %(show_value)d)"
            ),
        },
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": gettext_lazy(
                "Tick the box to agree that we use your data to answer your question"
            )
        },
    )

    def __init__(self, *args: Any, organisation: str, email_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "I agree that %(organisation)s uses my data to answer my question."
        ) % {"organisation": organisation}
        email = self.fields["email"]
        if email_required:
            email.required = True
            email.label = _("E-mail address")
            email.help_text = _("We answer by e-mail.")
        # A count the citizen cannot see would cut a pasted text short without a word:
        # the limit is in the hint and checked here instead.
        self.fields["message"].widget.attrs.pop("maxlength", None)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        email.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        for name, field in self.fields.items():
            described = [f"id_{name}_hint"] if field.help_text else []
            if name == "consent":
                described.append("privacy-note")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data["name"])

    def clean_subject(self) -> str:
        return _one_line(self.cleaned_data["subject"])

    def clean_message(self) -> str:
        return str(self.cleaned_data["message"]).strip()

    def mark_errors(self) -> list[tuple[str, str]]:
        """Point each field with an error at its message; the error summary's entries."""
        summary = []
        for name, field in self.fields.items():
            errors = self.errors.get(name)
            if not errors:
                continue
            attrs = field.widget.attrs
            attrs["aria-invalid"] = "true"
            described = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{described} id_{name}_error".strip()
            summary.append((f"id_{name}", str(errors[0])))
        return summary


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------------------
# The view


@csrf_exempt  # see the module's docstring: the signed form token takes its place
@never_cache  # every form carries its own token: a cached copy would hand one to many
@require_http_methods(["GET", "POST"])
def contact_form(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    account = channel_selectors.account_for_webhook(CONNECTOR, str(public_id))
    if account is None:
        raise Http404
    config = WebformConfig.model_validate(channel_services.account_config(account))
    page = _Page(request=request, account=account, config=config)
    with translation.override(page.language):
        if request.method == "POST":
            response = page.submit()
        else:
            response = page.show(ContactForm(**page.form_options))
        response.headers["Content-Language"] = page.language
    _set_frame_policy(request, response, config, embedded=page.embedded)
    return response


class _Page:
    """One request to the form: its profile, language and whether it is embedded."""

    def __init__(self, *, request: HttpRequest, account: Any, config: WebformConfig) -> None:
        self.request = request
        self.account = account
        self.config = config
        self.public_id = str(account.public_id)
        self.organisation = account.organisation.name
        self.embedded = request.GET.get("embed") == "1"
        chosen = request.GET.get("lang", "")
        # An explicit choice in the URL (the switch's links, also inside an iframe where the
        # language cookie may be blocked), else the visitor's cookie (LanguageMiddleware).
        self.chosen_language = chosen if chosen in LANGUAGES else ""
        cookie_language = getattr(request, "LANGUAGE_CODE", "")
        self.language = self.chosen_language or (
            cookie_language if cookie_language in LANGUAGES else LANGUAGES[0]
        )

    @property
    def form_options(self) -> dict[str, Any]:
        return {"organisation": self.organisation, "email_required": self.config.email_required}

    def url(self, *, language: str | None = None) -> str:
        query = {}
        if self.embedded:
            query["embed"] = "1"
        if language or self.chosen_language:
            query["lang"] = language or self.chosen_language
        path = self.request.path
        return f"{path}?{urlencode(query)}" if query else path

    # -- what the citizen sees

    def show(
        self,
        form: ContactForm,
        *,
        token: str | None = None,
        problem: str = "",
        status: int = 200,
    ) -> HttpResponse:
        summary = form.mark_errors() if form.is_bound else []
        return self._render(
            "web/webform/form.html",
            {
                "form": form,
                "token": token or issue_token(self.public_id),
                "error_summary": summary,
                "problem": problem,
                "has_errors": bool(summary or problem),
                "honeypot": HONEYPOT,
                "action": self.url(),
                "privacy_url": self.config.privacy_url,
            },
            status=status,
        )

    def thanks(self, *, submission_id: str, email: str, confirmation: bool) -> HttpResponse:
        return self._render(
            "web/webform/thanks.html",
            {
                "reference": webform_event.reference_of(submission_id),
                "email": email,
                "confirmation": confirmation,
                "again_url": self.url(),
            },
        )

    def too_many(self, form: ContactForm, token: FormToken | None) -> HttpResponse:
        """429, but friendly: the form again with everything the citizen typed."""
        minutes = RATE_WINDOW_SECONDS // 60
        response = self.show(
            form,
            token=self.request.POST["token"] if token else None,
            problem=ngettext(
                "We received a lot of messages just now and stopped accepting them for a "
                "while. Your message was not sent yet: please try again in %(minutes)d minute.",
                "We received a lot of messages just now and stopped accepting them for a "
                "while. Your message was not sent yet: please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(RATE_WINDOW_SECONDS)
        return response

    def _render(self, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
        title = self.config.title(self.language) or _("Contact %(organisation)s") % {
            "organisation": self.organisation
        }
        return render(
            self.request,
            template,
            {
                **context,
                "organisation": self.organisation,
                "title": title,
                "intro": self.config.intro(self.language),
                "embedded": self.embedded,
                "languages": [
                    (code, LANGUAGE_NAMES[code], self.url(language=code)) for code in LANGUAGES
                ],
                "form_language": self.language,
            },
            status=status,
        )

    # -- a submission

    def submit(self) -> HttpResponse:
        request = self.request
        if not _same_origin(request):
            # Posted from another website's page (embedded, the form's own page is ours).
            raise PermissionDenied
        data = request.POST.copy()
        # Browsers send line breaks as CRLF; count them as the one character the citizen sees.
        data["message"] = data.get("message", "").replace("\r\n", "\n")
        form = ContactForm(data, **self.form_options)
        token = read_token(request.POST.get("token", ""), self.public_id)
        if _over_limit(self.account.pk, _client(request)):
            return self.too_many(form, token)
        if request.POST.get(HONEYPOT, ""):
            # A program filled in the field people never see: it hears "thank you", and
            # nothing is stored.
            _count(self.account.pk, _client(request))
            fake = token.submission_id if token else str(uuid.uuid4())
            return self.thanks(submission_id=fake, email="", confirmation=False)
        if token is None:
            return self.show(
                form,
                problem=_("This form was open for too long. Check your answers and send it again."),
                status=400,
            )
        if now() - token.issued_at < MIN_FILL_SECONDS:
            # Filled in faster than a person can: nothing is stored. A person who really was
            # that quick sends it again; a program has to slow down.
            _count(self.account.pk, _client(request))
            return self.show(
                form,
                token=issue_token(self.public_id, token.submission_id),
                problem=_("Check your answers and send the form again."),
                status=400,
            )
        if not form.is_valid():
            return self.show(form, token=request.POST.get("token", ""), status=400)
        _count(self.account.pk, _client(request))
        return self._store(form, token)

    def _store(self, form: ContactForm, token: FormToken) -> HttpResponse:
        data = form.cleaned_data
        email = str(data["email"]).strip()
        submission = webform_event.Submission(
            submission_id=uuid.UUID(token.submission_id),
            submitted_at=timezone.now(),
            language=self.language,
            organisation=self.organisation,
            name=data["name"],
            email=email,
            subject=data["subject"],
            message=data["message"],
            consent=webform_event.Consent(given=True, text=str(form.fields["consent"].label)),
        )
        try:
            receipt = channel_services.receive_trusted(
                account=self.account, body=webform_event.encode(submission)
            )
        except PayloadError:
            logger.exception("web form %s produced a submission it cannot read", self.public_id)
            return self.show(
                form,
                token=issue_token(self.public_id, token.submission_id),
                problem=_("Your message could not be sent. Please try again later."),
                status=500,
            )
        except DatabaseError:
            logger.exception("web form submission for %s could not be stored", self.public_id)
            return self.show(
                form,
                token=issue_token(self.public_id, token.submission_id),
                problem=_("Your message could not be sent just now. Please try again."),
                status=503,
            )
        confirm = bool(email) and self.config.send_confirmation
        if confirm and receipt is channel_services.Receipt.ACCEPTED and _may_confirm(email):
            arguments = (
                self.public_id,
                email,
                self.language,
                token.submission_id,
                submission.submitted_at.isoformat(),
            )
            transaction.on_commit(lambda: send_confirmation.enqueue(*arguments))
        return self.thanks(submission_id=token.submission_id, email=email, confirmation=confirm)


# ---------------------------------------------------------------------------------------
# Spam and flood protection, on the cache (share one cache between web processes in
# production, or each process counts on its own).


def _same_origin(request: HttpRequest) -> bool:
    """No Origin header (older browsers), an opaque one ("null": privacy settings, sandboxed
    frames) or our own host; the signed token is the real check, this refuses the obvious."""
    origin = request.headers.get("Origin", "")
    if not origin or origin == "null":
        return True
    return urlsplit(origin).netloc.lower() == request.get_host().lower()


def _client(request: HttpRequest) -> str:
    # The connecting address; behind a reverse proxy the proxy must pass the client's.
    return str(request.META.get("REMOTE_ADDR", ""))


def _rate_keys(account_id: int, client: str) -> tuple[str, str]:
    window = int(time.time() // RATE_WINDOW_SECONDS)
    hashed = hashlib.sha256(client.encode()).hexdigest()[:32]  # no addresses in the cache
    return (
        f"loket:webform:rate:{account_id}:{hashed}:{window}",
        f"loket:webform:rate:{account_id}:{window}",
    )


def _over_limit(account_id: int, client: str) -> bool:
    per_address, per_profile = _rate_keys(account_id, client)
    counts = cache.get_many([per_address, per_profile])
    return (
        counts.get(per_address, 0) >= RATE_PER_ADDRESS
        or counts.get(per_profile, 0) >= RATE_PER_PROFILE
    )


def _count(account_id: int, client: str) -> None:
    for key in _rate_keys(account_id, client):
        _increment(key, RATE_WINDOW_SECONDS)


def _may_confirm(email: str) -> bool:
    window = int(time.time() // CONFIRMATION_WINDOW_SECONDS)
    hashed = hashlib.sha256(email.lower().encode()).hexdigest()[:32]
    key = f"loket:webform:confirmations:{hashed}:{window}"
    return _increment(key, CONFIRMATION_WINDOW_SECONDS) <= CONFIRMATIONS_PER_ADDRESS


def _increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


# ---------------------------------------------------------------------------------------
# Framing: only the embed variant, only by the configured websites.


def _set_frame_policy(
    request: HttpRequest, response: HttpResponse, config: WebformConfig, *, embedded: bool
) -> None:
    """The project's policy (SECURE_CSP, X-Frame-Options DENY) with two changes for this view:
    the page's own small style block is allowed by its nonce, and the embed variant may be
    framed by the profile's configured origins. Everything else stays as strict."""
    project_policy: dict[str, Any] = settings.SECURE_CSP
    policy = {key: list(value) for key, value in project_policy.items()}
    policy["style-src"] = [*policy.get("style-src", [CSP.SELF]), CSP.NONCE]
    origins = [origin for origin in config.embed_origins if _is_origin(origin)]
    if embedded and origins:
        policy["frame-ancestors"] = origins
        # X-Frame-Options cannot name several sites; the CSP above says who may frame.
        response.xframe_options_exempt = True
    response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(policy, get_nonce(request))


def _is_origin(value: str) -> bool:
    # Checked when the settings were saved; checked again because it goes into a header.
    parts = urlsplit(value)
    return (
        parts.scheme in {"http", "https"}
        and bool(parts.netloc)
        and not parts.path
        and not any(character in value for character in " ;,'\"\r\n")
    )
