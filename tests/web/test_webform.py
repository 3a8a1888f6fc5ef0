"""The public contact form of a web form profile, as a citizen, a spammer, an embedding website
and an agent meet it: from the form to a case in the inbox, and the answer back by e-mail."""

from __future__ import annotations

import html
import io
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils.module_loading import import_string

from loket.channels import services as channel_services
from loket.channels.models import ChannelAccount, InboundEvent, OutboundDelivery
from loket.cli import demo_cast
from loket.inbox import intake
from loket.inbox.models import Case, Conversation, Message
from loket.tenancy.models import Organisation, Team
from loket.web import webform_views

pytestmark = pytest.mark.django_db

QUESTION = "Hoe vraag ik een bewonerskaart aan voor de Kerkstraat?"


@pytest.fixture
def account(cast: None) -> ChannelAccount:
    """A web form of Stad Voorbeeld with confirmations on, embeddable by its website."""
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    account, _secret = channel_services.create_account(
        organisation=organisation,
        connector="webform",
        name="Contactformulier",
        team=Team.objects.get(organisation=organisation, name="Klantencontactcenter"),
        config={
            "embed_origins": ["https://www.voorbeeld.be"],
            "sender_address": "noreply@voorbeeld.invalid",
            "privacy_url": "https://www.voorbeeld.be/privacy",
        },
    )
    return account


def form_url(account: ChannelAccount, query: str = "") -> str:
    return f"/form/{account.public_id}/" + (f"?{query}" if query else "")


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """No waiting for the minimum fill time: these tests are not about it (see the test of a
    form filled in too fast)."""
    monkeypatch.setattr(webform_views, "MIN_FILL_SECONDS", 0)


def token_of(response: Any) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries no token"
    return match.group(1)


def fill(**fields: str) -> dict[str, str]:
    return {
        "name": "Lotte Van den Broeck",
        "email": "lotte@voorbeeld-burger.invalid",
        "subject": "Bewonerskaart",
        "message": QUESTION,
        "consent": "on",
        "website": "",
        **fields,
    }


def submit(client: Client, url: str, **fields: str) -> Any:
    """Open the form, then send it filled in."""
    token = token_of(client.get(url))
    return client.post(url, {"token": token, **fill(**fields)})


def text_of(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


# --- the page ------------------------------------------------------------------------------


def test_the_form_is_public_accessible_and_in_the_organisations_name(
    client: Client, account: ChannelAccount
) -> None:
    response = client.get(form_url(account))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "<title>Contact Stad Voorbeeld · Stad Voorbeeld</title>" in page
    assert '<span class="brand">Stad Voorbeeld</span>' in page
    for field in ("name", "email", "subject", "message", "consent"):
        assert f'<label for="id_{field}">' in page, field
        assert f'id="id_{field}"' in page, field
    words = text_of(response)
    assert "Naam (optioneel)" in words
    assert "E-mailadres (optioneel)" in words
    assert "Uw vraag of bericht" in words
    assert (
        "Ik ga akkoord dat Stad Voorbeeld mijn gegevens gebruikt om mijn vraag te beantwoorden."
        in words
    )
    assert 'href="https://www.voorbeeld.be/privacy"' in page
    assert 'aria-describedby="id_message_hint"' in page
    assert 'autocomplete="email"' in page
    assert "maxlength" not in page.split('id="id_message"')[1].split(">")[0]
    # The honeypot: off-screen, hidden from screen readers, out of the tab order.
    trap = page.split('class="webform-trap"')[1].split("</div>")[0]
    assert 'aria-hidden="true"' in trap
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap
    # Works without JavaScript: no script at all; and sets no cookie.
    assert "<script" not in page
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


def test_every_showing_of_the_form_has_its_own_token(
    client: Client, account: ChannelAccount
) -> None:
    assert token_of(client.get(form_url(account))) != token_of(client.get(form_url(account)))


def test_unknown_inactive_or_other_profiles_have_no_form(
    client: Client, account: ChannelAccount, generic: Any
) -> None:
    assert client.get(f"/form/{uuid.uuid4()}/").status_code == 404
    assert client.get("/form/not-a-uuid/").status_code == 404
    assert client.get(f"/form/{generic.account.public_id}/").status_code == 404
    ChannelAccount.objects.filter(pk=account.pk).update(is_active=False)
    assert client.get(form_url(account)).status_code == 404


def test_the_title_and_introduction_come_from_the_settings(
    client: Client, account: ChannelAccount
) -> None:
    channel_services.update_config(
        account=account,
        config={"title_nl": "Vraag het aan de stad", "intro_nl": "We antwoorden snel.\n<b>x</b>"},
    )
    page = client.get(form_url(account)).content.decode()
    assert "<h1>Vraag het aan de stad</h1>" in page
    assert "We antwoorden snel.<br>&lt;b&gt;x&lt;/b&gt;" in page


# --- languages -----------------------------------------------------------------------------


def test_the_language_switch_works_on_the_public_page(
    client: Client, account: ChannelAccount
) -> None:
    french = client.get(form_url(account, "lang=fr"))
    assert '<html lang="fr">' in french.content.decode()
    assert french["Content-Language"] == "fr"
    assert "Votre question ou votre message" in text_of(french)
    # Every link of the switch keeps the choice in the address, not in a cookie.
    assert f'href="/form/{account.public_id}/?lang=en" lang="en" hreflang="en"' in (
        french.content.decode()
    )
    assert 'lang="fr" hreflang="fr" aria-current="true"' in french.content.decode()
    assert not french.cookies


def test_the_language_cookie_of_the_language_middleware_is_followed(
    client: Client, account: ChannelAccount
) -> None:
    # Loket's own language form (POST /language/) works for a visitor who is not signed in.
    client.get(form_url(account))
    response = client.post("/language/", {"language": "en", "next": form_url(account)})
    assert response.status_code == 302
    english = client.get(form_url(account))
    assert '<html lang="en">' in english.content.decode()
    assert "Your question or message" in text_of(english)
    # The address wins over the cookie.
    assert '<html lang="fr">' in client.get(form_url(account, "lang=fr")).content.decode()


def test_the_submission_keeps_the_language_it_was_written_in(
    client: Client, account: ChannelAccount, later: None
) -> None:
    url = form_url(account, "lang=fr")
    response = submit(client, url, message="Le parc à conteneurs est-il ouvert samedi ?")
    assert "Votre message a été envoyé" in text_of(response)
    body = json.loads(bytes(InboundEvent.objects.get().body))
    assert body["language"] == "fr"
    assert body["consent"]["text"].startswith("J'accepte que Stad Voorbeeld")


# --- a submission --------------------------------------------------------------------------


def test_a_valid_submission_becomes_one_private_form_case(
    client: Client, account: ChannelAccount, later: None
) -> None:
    response = submit(client, form_url(account))
    assert response.status_code == 200
    [event] = InboundEvent.objects.all()
    assert event.status == "pending"
    assert event.account_id == account.pk
    reference = event.event_key.replace("-", "")[:8].upper()
    words = text_of(response)
    assert "Uw bericht is verstuurd" in words
    assert reference in words
    assert "We antwoorden u per e-mail op <strong>lotte@voorbeeld-burger.invalid</strong>" in words

    assert intake.process_pending(seconds=10) == (1, True)
    message = Message.objects.get()
    assert message.text == QUESTION
    assert message.visibility == "private"
    assert message.author_name == "Lotte Van den Broeck"
    assert message.reply_context["email"] == "lotte@voorbeeld-burger.invalid"
    conversation = Conversation.objects.get()
    assert conversation.kind == "form"
    assert conversation.title == f"Bewonerskaart ({reference})"
    case = Case.objects.get()
    assert case.channel_account_id == account.pk
    assert case.team is not None
    assert case.team.name == "Klantencontactcenter"
    assert list(case.messages.all()) == [message]


def test_sending_twice_stores_one_message(
    client: Client, account: ChannelAccount, later: None
) -> None:
    url = form_url(account)
    token = token_of(client.get(url))
    first = client.post(url, {"token": token, **fill()})
    second = client.post(url, {"token": token, **fill()})
    assert first.status_code == second.status_code == 200
    assert InboundEvent.objects.count() == 1
    intake.process_pending(seconds=10)
    assert Message.objects.count() == 1
    reference = InboundEvent.objects.get().event_key[:8].upper()
    assert reference in text_of(first)
    assert reference in text_of(second)


def test_the_honeypot_thanks_a_program_and_stores_nothing(
    client: Client, account: ChannelAccount, later: None
) -> None:
    response = submit(client, form_url(account), website="https://goedkope-pillen.invalid")
    assert response.status_code == 200
    assert "Uw bericht is verstuurd" in text_of(response)
    assert not InboundEvent.objects.exists()
    assert not mail.outbox


def test_a_form_filled_in_too_fast_is_not_stored(
    client: Client, account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = form_url(account)
    response = submit(client, url)  # at once
    assert response.status_code == 400
    assert not InboundEvent.objects.exists()
    words = text_of(response)
    assert "Er is een probleem" in words
    assert "Controleer uw antwoorden en verstuur het formulier opnieuw." in words
    assert QUESTION in words  # nothing the citizen typed is lost
    # A person who really was that quick sends the form shown again, a little later.
    monkeypatch.setattr(webform_views, "now", lambda: time.time() + webform_views.MIN_FILL_SECONDS)
    again = client.post(url, {"token": token_of(response), **fill()})
    assert again.status_code == 200
    assert InboundEvent.objects.count() == 1


def test_a_changed_or_foreign_token_is_refused(
    client: Client, account: ChannelAccount, later: None
) -> None:
    url = form_url(account)
    other = demo_cast.WEBFORMS[0].public_id
    foreign = token_of(client.get(f"/form/{other}/"))
    for token in (foreign, token_of(client.get(url)) + "x", "", "e30:1:abc"):
        response = client.post(url, {"token": token, **fill()})
        assert response.status_code == 400, token
    assert not InboundEvent.objects.exists()


def test_a_post_from_another_website_is_refused(
    client: Client, account: ChannelAccount, later: None
) -> None:
    url = form_url(account)
    token = token_of(client.get(url))
    response = client.post(
        url, {"token": token, **fill()}, headers={"Origin": "https://kwaadaardig.invalid"}
    )
    assert response.status_code == 403
    assert not InboundEvent.objects.exists()
    # The form's own page (also inside an iframe) posts with Loket's origin.
    ours = client.post(url, {"token": token, **fill()}, headers={"Origin": "http://testserver"})
    assert ours.status_code == 200
    assert InboundEvent.objects.count() == 1


def test_the_rate_limit_answers_429_and_keeps_the_text(
    client: Client, account: ChannelAccount, later: None
) -> None:
    url = form_url(account)
    for number in range(webform_views.RATE_PER_ADDRESS):
        assert submit(client, url, message=f"Vraag {number}").status_code == 200
    response = submit(client, url, message="Nog een vraag")
    assert response.status_code == 429
    assert response["Retry-After"] == str(webform_views.RATE_WINDOW_SECONDS)
    words = text_of(response)
    assert "probeer het over 10 minuten opnieuw" in words
    assert "Nog een vraag" in words
    assert InboundEvent.objects.count() == webform_views.RATE_PER_ADDRESS
    # Another address is still welcome.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert submit(other, url).status_code == 200


def test_a_missing_message_shows_the_error_summary_in_dutch(
    client: Client, account: ChannelAccount, later: None
) -> None:
    response = submit(client, form_url(account), message="  ", consent="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Fout: Contact Stad Voorbeeld · Stad Voorbeeld</title>" in page
    summary = page.split('class="form-errors error-summary"')[1].split("</div>")[0]
    assert 'role="alert"' in page.split('class="form-errors error-summary"')[0][-20:] + summary
    assert "Er is een probleem" in summary
    assert '<a href="#id_message">Vul uw vraag of bericht in</a>' in summary
    assert '<a href="#id_consent">' in summary
    assert summary.index("#id_message") < summary.index("#id_consent")
    message_input = page.split('id="id_message"')[0].rsplit("<textarea", 1)[1]
    assert 'aria-invalid="true"' in message_input
    assert "id_message_error" in message_input
    assert 'id="id_message_error"' in page
    assert 'value="Lotte Van den Broeck"' in page  # what was typed stays
    assert not InboundEvent.objects.exists()


def test_an_overlong_message_and_a_bad_address_are_explained(
    client: Client, account: ChannelAccount, later: None
) -> None:
    response = submit(client, form_url(account), message="x" * 5001, email="lotte@")
    assert response.status_code == 400
    words = text_of(response)
    assert "Uw bericht mag hoogstens 5.000 tekens lang zijn (het telt er 5001)" in words
    assert "Vul een geldig e-mailadres in, zoals naam@voorbeeld.be" in words


def test_windows_line_breaks_do_not_count_double(
    client: Client, account: ChannelAccount, later: None
) -> None:
    text = ("regel\r\n" * 800).strip()  # 4,799 characters as the citizen sees them
    assert submit(client, form_url(account), message=text).status_code == 200


def test_an_address_can_be_required(client: Client, account: ChannelAccount, later: None) -> None:
    channel_services.update_config(account=account, config={"email_required": True})
    page = client.get(form_url(account)).content.decode()
    assert "E-mailadres (optioneel)" not in page
    response = submit(client, form_url(account), email="")
    assert response.status_code == 400
    assert '<a href="#id_email">Vul uw e-mailadres in, zodat we u kunnen antwoorden</a>' in (
        response.content.decode()
    )


def test_a_message_without_an_address_says_no_personal_answer_follows(
    client: Client, account: ChannelAccount, later: None
) -> None:
    response = submit(client, form_url(account), email="", name="")
    assert response.status_code == 200
    assert "U liet geen e-mailadres achter" in text_of(response)
    intake.process_pending(seconds=10)
    assert Message.objects.get().reply_context["email"] == ""


def test_script_in_a_message_stays_inert_in_the_inbox(
    client: Client,
    account: ChannelAccount,
    later: None,
    signed_in: Callable[[str], Client],
) -> None:
    attack = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
    submit(client, form_url(account), message=f"Vraag {attack}", subject=attack, name=attack)
    intake.process_pending(seconds=10)
    case = Case.objects.get()
    page = signed_in("anna").get(f"/o/stad-voorbeeld/inbox/{case.number}/").content.decode()
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in page
    assert '<script>alert("pwned")' not in page
    assert "<img src=x" not in page


# --- e-mail: the confirmation and the agent's answer ---------------------------------------


def run_confirmations() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    from loket.channels.connectors.webform.tasks import send_confirmation

    queued = DBTaskResult.objects.filter(task_path=send_confirmation.module_path)
    return [
        send_confirmation.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        for row in queued
    ]


def test_a_confirmation_is_mailed_in_the_citizens_language(
    client: Client,
    account: ChannelAccount,
    later: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, form_url(account, "lang=fr"), message="Bonjour, une question.")
    assert "Vous recevrez" in text_of(response)
    assert not mail.outbox  # not in the request: in a task
    assert run_confirmations() == ["sent"]
    [confirmation] = mail.outbox
    assert confirmation.to == ["lotte@voorbeeld-burger.invalid"]
    assert confirmation.extra_headers["Auto-Submitted"] == "auto-replied"
    assert confirmation.from_email == "Stad Voorbeeld <noreply@voorbeeld.invalid>"
    reference = InboundEvent.objects.get().event_key[:8].upper()
    assert confirmation.subject == f"Nous avons bien reçu votre message (référence {reference})"
    # Nothing the citizen typed goes to an address nobody verified.
    assert "Bonjour, une question." not in confirmation.body
    assert "Lotte" not in confirmation.body
    assert "Bewonerskaart" not in confirmation.subject + confirmation.body


def test_no_confirmation_without_an_address_when_switched_off_or_for_a_duplicate(
    client: Client,
    account: ChannelAccount,
    later: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = form_url(account)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, url, email="")
        token = token_of(client.get(url))
        client.post(url, {"token": token, **fill()})
        client.post(url, {"token": token, **fill()})  # the same submission again
    assert len(run_confirmations()) == 1
    channel_services.update_config(account=account, config={"send_confirmation": False})
    assert run_confirmations() == ["confirmations are off"]


def test_an_agents_reply_is_mailed_to_the_citizen(
    client: Client,
    account: ChannelAccount,
    later: None,
    signed_in: Callable[[str], Client],
) -> None:
    submit(client, form_url(account))
    intake.process_pending(seconds=10)
    case = Case.objects.get()
    agent = signed_in("anna")
    agent.cookies["loket_language"] = "en"
    response = agent.post(
        f"/o/stad-voorbeeld/inbox/{case.number}/reply/",
        {"text": "Dag Lotte, dat kan online via het e-loket.", "visibility": "private"},
    )
    assert response.status_code == 302
    delivery = OutboundDelivery.objects.get()
    channel_services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    [answer] = mail.outbox
    assert answer.to == ["lotte@voorbeeld-burger.invalid"]
    assert answer.subject == "Re: Bewonerskaart"
    assert answer.body.startswith("Dag Lotte, dat kan online via het e-loket.")
    assert delivery.external_id == answer.extra_headers["Message-ID"]


def test_a_citizen_without_an_address_cannot_be_answered(
    client: Client,
    account: ChannelAccount,
    later: None,
    signed_in: Callable[[str], Client],
) -> None:
    submit(client, form_url(account), email="")
    intake.process_pending(seconds=10)
    case = Case.objects.get()
    page = signed_in("anna").post(
        f"/o/stad-voorbeeld/inbox/{case.number}/reply/",
        {"text": "Dag, hier is ons antwoord.", "visibility": "private"},
        follow=True,
    )
    assert "geen adres" in page.content.decode()
    assert not OutboundDelivery.objects.exists()
    assert not mail.outbox


def test_a_queued_reply_without_an_address_fails_visibly(account: ChannelAccount) -> None:
    """The connector refuses too, should a reply reach it some other way (the API, a retry)."""
    from loket.channels.contracts import OutboundMessage, Visibility

    delivery = channel_services.queue_delivery(
        account=account,
        message=OutboundMessage(
            idempotency_key="k", thread_id="t", visibility=Visibility.PRIVATE, text="Dag"
        ),
    )
    channel_services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.last_error == "the citizen left no e-mail address"
    assert not mail.outbox


def test_the_confirmation_task_can_be_found_by_the_worker() -> None:
    from loket.channels.connectors.webform.tasks import send_confirmation

    assert import_string(send_confirmation.module_path) is send_confirmation


# --- embedding -----------------------------------------------------------------------------


def test_the_embed_variant_may_be_framed_only_by_the_configured_websites(
    client: Client, account: ChannelAccount
) -> None:
    embedded = client.get(form_url(account, "embed=1"))
    page = embedded.content.decode()
    assert 'class="skip-link"' not in page
    assert "<header" not in page
    assert 'action="/form/' in page
    assert "?embed=1" in page.split('action="')[1].split('"')[0]
    policy = embedded["Content-Security-Policy"]
    assert "frame-ancestors https://www.voorbeeld.be" in policy
    assert "script-src 'self' 'nonce-" in policy  # the rest of the policy stays
    assert "X-Frame-Options" not in embedded
    assert "style-src 'self' 'nonce-" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce
    assert f'<style nonce="{nonce.group(1)}">' in page

    full_page = client.get(form_url(account))
    assert full_page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in full_page["Content-Security-Policy"]


def test_without_configured_websites_the_embed_variant_is_not_framed(
    client: Client, account: ChannelAccount
) -> None:
    channel_services.update_config(account=account, config={"embed_origins": []})
    assert channel_services.account_config(account)["embed_origins"] == []
    embedded = client.get(form_url(account, "embed=1"))
    assert embedded["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in embedded["Content-Security-Policy"]


def test_an_embedded_submission_stays_embedded(
    client: Client, account: ChannelAccount, later: None
) -> None:
    response = submit(client, form_url(account, "embed=1&lang=en"))
    assert response.status_code == 200
    assert "frame-ancestors https://www.voorbeeld.be" in response["Content-Security-Policy"]
    assert "<header" not in response.content.decode()
    assert "Your message was sent" in text_of(response)


# --- the webhook and the command line ------------------------------------------------------


def test_nothing_gets_in_through_the_webhook(account: ChannelAccount) -> None:
    url = f"/hooks/webform/{account.public_id}"
    body = json.dumps({"message": "via de achterdeur"}).encode()
    assert Client().post(url, data=body, content_type="application/json").status_code == 401
    signed = Client().post(
        url,
        data=body,
        content_type="application/json",
        headers={"X-Loket-Signature": "sha256=" + "0" * 64},
    )
    assert signed.status_code == 401
    assert Client().get(url).status_code == 405
    assert not InboundEvent.objects.exists()


def test_the_command_line_creates_a_web_form(client: Client, cast: None) -> None:
    out = io.StringIO()
    call_command(
        "channels",
        "create-webform",
        "--org",
        "rivierdijk",
        "--name",
        "Contactformulier Rivierdijk",
        "--team",
        "Communicatie en onthaal",
        "--embed-origin",
        "https://www.rivierdijk.be",
        "--base-url",
        "https://loket.rivierdijk.be/",
        stdout=out,
    )
    printed = json.loads(out.getvalue())
    assert set(printed) == {"account_id", "form_url"}
    assert printed["form_url"] == f"https://loket.rivierdijk.be/form/{printed['account_id']}/"
    account = ChannelAccount.objects.get(public_id=printed["account_id"])
    assert account.connector == "webform"
    assert channel_services.account_config(account)["embed_origins"] == [
        "https://www.rivierdijk.be"
    ]
    assert client.get(f"/form/{printed['account_id']}/").status_code == 200


def test_every_demo_municipality_has_a_form(client: Client, cast: None) -> None:
    municipalities = {o.slug for o in demo_cast.ORGANISATIONS if o.kind == "municipality"}
    assert {webform.organisation for webform in demo_cast.WEBFORMS} == municipalities
    for webform in demo_cast.WEBFORMS:
        response = client.get(f"/form/{webform.public_id}/")
        assert response.status_code == 200, webform.name
    forms = sorted(ChannelAccount.objects.filter(connector="webform").values_list("public_id"))
    demo_cast.seed()  # seeding again changes nothing
    again = sorted(ChannelAccount.objects.filter(connector="webform").values_list("public_id"))
    assert again == forms
    assert len(forms) == len(demo_cast.WEBFORMS)
