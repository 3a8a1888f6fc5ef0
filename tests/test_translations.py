"""The translation catalogues: complete, compiled, true to their placeholders and to the source.

The catalogues are src/loket/locale/<language>/LC_MESSAGES/django.po; `make messages`
regenerates them from the source (GNU gettext) and compiles them. The compiled .mo files are
committed, because a machine without gettext cannot build them; the tests here catch a
forgotten compile, an untranslated or fuzzy entry, a broken placeholder and a source string
that never reached the catalogues.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from django.utils.translation.template import templatize

import loket

PACKAGE_DIR = Path(loket.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
LANGUAGES = ("nl", "fr", "en")
# English is the language of the msgids: its catalogue stays empty on purpose.
TRANSLATED = ("nl", "fr")
FIX = "run `make messages` (GNU gettext) and translate what is new"

# A message's identity in a catalogue: (context, msgid).
Key = tuple[str, str]
# Its translation: the msgstr, or the plural forms in order.
Translation = str | tuple[str, ...]
Catalogue = polib.POFile | polib.MOFile
Entry = polib.POEntry | polib.MOEntry


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


@cache
def catalogue(language: str) -> polib.POFile:
    path = po_path(language)
    assert path.exists(), f"{path.relative_to(PACKAGE_DIR)} is missing: {FIX}"
    return polib.pofile(str(path))


def live_entries(catalogue_file: Catalogue) -> list[Entry]:
    return [entry for entry in catalogue_file if entry.msgid and not entry.obsolete]


def key(entry: Entry) -> Key:
    return (entry.msgctxt or "", entry.msgid)


def translation_of(entry: Entry) -> Translation:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


def catalogue_keys(language: str) -> list[Key]:
    return [key(entry) for entry in live_entries(catalogue(language))]


def is_translated(entry: Entry) -> bool:
    forms = translation_of(entry)
    return all(forms) if isinstance(forms, tuple) else bool(forms)


def translations(catalogue_file: Catalogue) -> dict[Key, Translation]:
    """What msgfmt compiles: the translated entries that are not fuzzy."""
    return {
        key(entry): translation_of(entry)
        for entry in live_entries(catalogue_file)
        if "fuzzy" not in entry.flags and is_translated(entry)
    }


# --- (a) complete: every entry translated, none fuzzy -------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    po = catalogue(language)
    entries = live_entries(po)
    assert len(entries) > 50, f"the {language} catalogue is nearly empty: {FIX}"
    assert po.metadata.get("Language") == language
    assert not po.metadata_is_fuzzy, f"the {language} catalogue's header is marked fuzzy"
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    untranslated = [entry.msgid for entry in entries if not is_translated(entry)]
    wrong_plurals = [
        entry.msgid
        for entry in entries
        if entry.msgid_plural and len(entry.msgstr_plural) != nplurals
    ]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not wrong_plurals, f"not {nplurals} plural forms in {language}: {wrong_plurals}"
    assert not fuzzy, f"fuzzy in {language} (check the translation, drop the flag): {fuzzy}"


def test_every_catalogue_has_the_same_messages() -> None:
    messages = {language: set(catalogue_keys(language)) for language in LANGUAGES}
    for language in LANGUAGES[1:]:
        assert messages[language] == messages[LANGUAGES[0]], (
            f"the {language} and {LANGUAGES[0]} catalogues hold different messages: {FIX}"
        )


def test_english_catalogue_leaves_the_msgids_as_they_are() -> None:
    translated = [e.msgid for e in live_entries(catalogue("en")) if is_translated(e)]
    assert not translated, f"the msgids are English; leave these msgstrs empty: {translated}"


# --- (b) compiled: each .mo holds exactly what its .po says ------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language: str) -> None:
    mo_path = po_path(language).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(PACKAGE_DIR)} is missing: {FIX}"
    po = catalogue(language)
    mo = polib.mofile(str(mo_path))
    assert translations(mo) == translations(po), (
        f"the compiled {language} catalogue is out of date: {FIX}"
    )
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


# --- (c) placeholders: the same in each translation as in its msgid ----------------------

PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0+]*\d*(?:\.\d+)?[sdifr]|%%|\{\w*\}")


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: str) -> None:
    broken = []
    for entry in live_entries(catalogue(language)):
        if entry.msgid_plural:
            allowed = set(placeholders(entry.msgid) | placeholders(entry.msgid_plural))
            forms = translation_of(entry)
            used = {name for form in forms for name in placeholders(form)}
            if used != allowed or any(set(placeholders(form)) - allowed for form in forms):
                broken.append(entry.msgid)
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            broken.append(entry.msgid)
    assert not broken, f"placeholders differ from the msgid in {language}: {broken}"


# --- (d) used: Django serves the translations -------------------------------------------


@pytest.mark.parametrize(
    ("language", "sign_out", "page"),
    [
        ("nl", "Afmelden", "Pagina 2 van 5"),
        ("fr", "Se déconnecter", "Page 2 sur 5"),
        ("en", "Sign out", "Page 2 of 5"),
    ],
)
def test_django_serves_the_translations(language: str, sign_out: str, page: str) -> None:
    template = Template(
        "{% load i18n %}{% translate 'Sign out' %}|"
        "{% blocktranslate with number=2 total=5 %}Page {{ number }} of {{ total }}"
        "{% endblocktranslate %}"
    )
    with translation.override(language):
        assert translation.gettext("Sign out") == sign_out
        assert template.render(Context()) == f"{sign_out}|{page}"


# --- (e) up to date: every message in the source is in the catalogues -------------------

TEMPLATE_CALL = re.compile(
    r"\b(_|gettext|ngettext|pgettext|npgettext)\("
    r"((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)"
)
STRING = re.compile(r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


def template_messages() -> dict[Key, str]:
    """The messages of every template, found by Django's own `templatize` (as makemessages
    does), so this check needs no gettext tools; the template's path for each."""
    found: dict[Key, str] = {}
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix not in {".html", ".txt"} or "templates" not in path.parts:
            continue
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for call in TEMPLATE_CALL.finditer(code):
            strings = [ast.literal_eval(s) for s in STRING.findall(call.group(2))]
            context = strings.pop(0) if call.group(1).startswith(("pgettext", "npgettext")) else ""
            found[(context, strings[0])] = str(path.relative_to(PACKAGE_DIR))
    return found


def test_every_template_message_is_in_the_catalogues() -> None:
    messages = template_messages()
    assert ("", "Skip to main content") in messages, "the template scan found nothing"
    for language in LANGUAGES:
        known = set(catalogue_keys(language))
        missing = {message[1]: path for message, path in messages.items() if message not in known}
        assert not missing, f"not in the {language} catalogue ({FIX}): {missing}"


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory: pytest.TempPathFactory) -> set[Key]:
    """The messages makemessages finds in the source (templates and Python), extracted
    into a copy of the package so that the real catalogues are left alone."""
    if not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge")):
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is needed in CI to check the catalogues")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path_factory.mktemp("messages") / "loket"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("locale", "static", "migrations", "__pycache__"),
    )
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[]), contextlib.chdir(copy):
        call_command(
            "makemessages",
            locale=["nl"],
            ignore_patterns=["migrations/*"],
            no_location=True,
            no_obsolete=True,
            keep_pot=True,
            verbosity=0,
        )
    pot = polib.pofile(str(copy / "locale" / "django.pot"))
    return {key(entry) for entry in live_entries(pot)}


def test_every_source_message_is_in_the_catalogues(source_messages: set[Key]) -> None:
    assert ("", "Sign out") in source_messages, "makemessages found nothing"
    for language in LANGUAGES:
        known = set(catalogue_keys(language))
        missing = sorted(msgid for _context, msgid in source_messages - known)
        assert not missing, f"not in the {language} catalogue ({FIX}): {missing}"
