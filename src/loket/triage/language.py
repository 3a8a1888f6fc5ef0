"""The language of a citizen message: "nl", "fr", "en", "de", or "" when it cannot be told.

    detect_language("Wanneer wordt het grofvuil opgehaald?")    -> "nl"
    detect_language("Merci!", default="nl")                      -> "nl"
    detect(text, default="nl")                                   -> Detection(language, source)

How it decides, in this order:

1. **Noise out.** URLs, e-mail addresses, @mentions, #hashtags and every token with a digit in it
   (numbers, dates, times, house numbers, codes) say nothing about the language the citizen
   writes in, and are removed. A message with no words left (emoji only, "👍", a link) gets the
   default language.
2. **Script.** A message written mostly in another script than the Latin one (Arabic, Cyrillic,
   Greek, Chinese…) is in none of Loket's languages: "".
3. **Rule table for short messages.** A message that is one of the phrases of the table
   ("Dank u wel", "Merci beaucoup", "Thank you", "Danke schön", "ok") or has at most two words is
   settled by Loket's own hand-written rules, never by a guess: the phrase's language, or the one
   language that all its known words allow ("Annuleer afspraak" → nl). When the words allow
   several languages, the channel's default decides if it is one of them; a word-level tie that
   excludes the default stays unknown, and a message the table knows nothing about gets the
   default.
   *"Merci"* is French, but in Flanders (and in East Belgium) it is just as much Dutch (and
   German): alone, it takes the default language when that is nl, fr or de, and is French on a
   channel without a default or in English. "Merci wel", "dikke merci" are Dutch; "merci
   beaucoup", "merci bien" French.
4. **Model for longer messages.** The naive Bayes byte n-gram model of py3langid (BSD-3-Clause;
   a fork of langid.py by Marco Lui and Timothy Baldwin), restricted to Loket's four languages:
   a model that may only choose between them does not take short Dutch for Afrikaans or
   accent-stripped French for Italian. Runs of capitalised words after the first word ("zet
   Summer Hits Of The Eighties op") are titles and names in whatever language; they are left out
   when at least three words remain, so that the words the citizen wrote decide. Six more
   languages common in Flemish inboxes (es, it, pt, tr, pl, ro) are scored as well, but only
   to answer "" when one of them is clearly ahead of all four of Loket's languages.

Only the first MAX_CHARS characters are read. The model is loaded on first use (about a second;
`load()` does it ahead of time, e.g. when a worker starts) and takes some 50 MB, most of it
py3langid's byte automaton, plus numpy.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

LANGUAGES = ("nl", "fr", "en", "de")
SHORT_WORDS = 2  # messages of at most this many words are settled by rules, not by the model
# The start of a long message tells its language as well as the whole of it does, and reading
# no further keeps an e-mail with a long quoted thread from holding up the queue.
MAX_CHARS = 500

Source = Literal["rule", "model", "default"]


@dataclass(frozen=True)
class Detection:
    language: str  # one of LANGUAGES, or "" when unknown
    source: Source  # what decided: the rule table (or script), the model, or the default


# --- removing what is not language ---------------------------------------------------------

# A token is noise when it holds a digit or an @ (numbers, dates, times, house numbers, codes,
# e-mail addresses, mentions), starts a hashtag, or is a web address. Testing whitespace-split
# tokens one by one is linear; one big substitution pattern backtracks on long words.
NOISE = re.compile(r"[\d@]|://|^\W*(?:#|www\.)")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")


def strip_noise(text: str) -> str:
    """The text without URLs, e-mail addresses, mentions, hashtags and numbers, and with its
    whitespace made single spaces."""
    search = NOISE.search
    tokens = unicodedata.normalize("NFC", text).split()
    return " ".join(token for token in tokens if not search(token))


def fold(word: str) -> str:
    """Lower case without accents: "Merci", "MERCI" and "mercí" look the same to the table."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _mostly_latin(words: Sequence[str]) -> bool:
    letters = sum(len(word) for word in words)
    return 2 * sum(len(LATIN_LETTER.findall(word)) for word in words) >= letters


# --- the rule table for short messages -----------------------------------------------------

# Whole messages (folded, words joined by one space) and the languages they can be in, the
# language the phrase belongs to first. The default language decides among them; when it is not
# one of them, the first is taken. An empty tuple is a message in no language in particular
# ("ok", "super", "bravo"): it takes the default.
PHRASES: dict[str, tuple[str, ...]] = {}


def _phrases(languages: tuple[str, ...], phrases: str) -> None:
    for phrase in phrases.split(","):
        PHRASES[" ".join(fold(word) for word in WORD.findall(phrase))] = languages


_phrases(
    ("nl",),
    "bedankt, alvast bedankt, super bedankt, heel erg bedankt, vriendelijk bedankt, dank u, "
    "dank u wel, dank je, dank je wel, dankjewel, dankuwel, dankje, bedankt hé, dank, "
    "hartelijk dank, veel dank, merci wel, merci hé, dikke merci, merci vele keren, merci hoor, "
    "goeiedag, goedendag, goeiemorgen, goedemorgen, goeiemiddag, goedemiddag, goeienavond, "
    "goedenavond, dag, hoi, hallo allemaal, doei, tot ziens, tot later, ja, jawel, ja hoor, "
    "ja graag, nee, neen, nee dank u, nee bedankt, graag, graag gedaan, geen probleem, oké, "
    "oké dan, in orde, akkoord, prima, proficiat, gefeliciteerd, amai, allee, zeker, klopt, "
    "inderdaad, natuurlijk, excuseer, sorry hoor, goed zo, mooi zo, fijn, top bedankt, "
    "goed gedaan, welkom, slaapwel",
)
_phrases(("fr", "nl", "de"), "merci, merci merci")
_phrases(("nl", "de"), "hallo, hallo hallo")
_phrases(
    ("fr",),
    "merci beaucoup, merci bien, merci mille fois, mille mercis, un grand merci, grand merci, "
    "merci infiniment, merci à vous, bonjour, bonsoir, salut, au revoir, à bientôt, oui, "
    "oui merci, non merci, non, d'accord, bien sûr, parfait, avec plaisir, de rien, "
    "je vous en prie, s'il vous plaît, s'il te plaît, excusez-moi, félicitations, génial, "
    "volontiers, c'est gentil, très bien, bonne journée, bonne soirée, à vous aussi, tout à fait",
)
_phrases(
    ("en",),
    "thanks, thank you, thanks a lot, thank you very much, thank you so much, many thanks, "
    "thanks again, thx, cheers, hello, hi, hi there, good morning, good afternoon, good evening, "
    "yes, yes please, no, no thanks, no thank you, sure, great, please, bye, goodbye, "
    "you're welcome, no problem, awesome, well done, congratulations, of course, all good, "
    "sounds good, got it, will do, my pleasure, much appreciated",
)
_phrases(
    ("de",),
    "danke, danke schön, danke sehr, vielen dank, herzlichen dank, besten dank, guten morgen, "
    "guten tag, guten abend, tschüss, auf wiedersehen, nein, nein danke, ja bitte, bitte, "
    "bitte schön, gern, gerne, gern geschehen, genau, alles klar, kein problem",
)
_phrases((), "ok, okay, oke, ok ok, super, top, bravo, chapeau, sorry, hey, lol, haha, wow")

# Words of one or a few of the four languages: frequent function words, the commonest words of
# requests to a government, and those of short commands to voice assistants (alarms, reminders,
# music), the kind of short text Loket's language detection is measured on. A word that exists in
# several languages is in each of their lists; a short message whose known words all allow one
# language only is in that language.
WORD_LISTS: dict[str, str] = {
    "nl": (
        "de het een en van ik je jij u uw is dat die niet op te met voor zijn er maar om wat ook "
        "nog wel al bij dit naar heb hebt heeft wij we zij ze hoe waar wanneer waarom wie welke "
        "mijn kan kunnen moet moeten geen deze mag graag mij me ons onze jullie hun hier daar "
        "dan toch even eens heel erg veel weer meer niets niemand iets iemand alles alle zonder "
        "tegen over onder tussen tot sinds door uit aan af mee terug wordt worden werd was "
        "waren zal zullen zou zouden wil willen gaat gaan komt komen doet doen zie zien weet "
        "weten vind vinden zet zetten toon tonen speel spelen stuur sturen zoek zoeken maak "
        "maken geef geven annuleer annuleren verwijder verwijderen wis wissen stop open sluit "
        "help hulp dank bedankt vraag vraagje probleem klacht melding afval vuilnis huisvuil "
        "straat stoep gemeente stad stadhuis loket afspraak openingsuren rijbewijs paspoort "
        "identiteitskaart wekker wekkers alarm herinnering herinneringen uur vandaag morgen "
        "gisteren week maand jaar nieuw nieuwe oud oude goed slecht kapot stuk lamp nummer "
        "liedje lied muziek regen of pas vers den merci in dringend alstublieft aub had hadden "
        "he plus as"
    ),
    "fr": (
        "le la les un une et de des du je tu il elle nous vous est sont pas que qui pour dans "
        "sur avec ce cette ces mais ou où quand comment pourquoi mon ma mes votre vos ton ta "
        "notre nos leur leurs au aux ne plus peut peux pouvez puis faut fait faire avoir être "
        "ai as avez avons ont suis es sommes êtes était sera très bien aussi encore toujours "
        "jamais rien personne tout tous toute toutes sans contre chez depuis entre vers après "
        "avant demain hier aujourd'hui semaine mois année bonjour merci madame monsieur commune "
        "ville maison rue poubelle déchets ordures rendez-vous permis passeport carte identité "
        "problème plainte question aide besoin horaires veux voudrais voulez cherche trouver "
        "envoyer annuler supprimer réveil alarme rappel affiche joue ouvre ferme a en on me "
        "urgent stop je te licence"
    ),
    "en": (
        "the a an and of to is are i you he she we they it that this not for on with but or "
        "when where how why who which what my your our their his her can could would should "
        "will shall may might must do does did have has had was were be been there here now then "
        "just also very much many more no yes all any some nothing nobody something someone "
        "everything without against about under between until since through from off out up "
        "down back please thanks thank help problem complaint question report waste garbage "
        "trash rubbish bin street city town council office appointment opening hours licence "
        "license passport card today tomorrow yesterday week month year new old good bad broken "
        "show find play set turn cancel delete remove stop open close send search make give "
        "alarm alarms reminder reminders weather rain song music die even lamp me in urgent war "
        "van met over door plus as"
    ),
    "de": (
        "der die das und ist nicht ich sie wir ein eine einen einem einer zu mit auf für von dem "
        "den des wie wo wann warum wer welche mein meine dein ihr ihre unser kann können muss "
        "müssen darf soll sollen will wollen hat haben habe bin sind war waren wird werden wurde "
        "noch schon auch sehr viel mehr nichts niemand etwas jemand alles alle ohne gegen über "
        "unter zwischen bis seit durch aus bei nach vor heute morgen gestern woche monat jahr neu "
        "neue alt alte gut schlecht kaputt danke bitte hallo stadt gemeinde straße müll abfall "
        "termin hilfe frage problem beschwerde zeige finde spiele stelle lösche wecker alarm "
        "erinnerung wetter lied musik regen bad hier in stop dringend er meer nummer was also"
    ),
}
SHORT_LEXICON: dict[str, frozenset[str]] = {}
for _language, _words in WORD_LISTS.items():
    for _word in _words.split():
        _key = fold(_word)
        SHORT_LEXICON[_key] = SHORT_LEXICON.get(_key, frozenset()) | {_language}


def by_rules(words: Sequence[str], default: str) -> Detection | None:
    """What the rule table says about a message of these words, or None when the message is
    longer than SHORT_WORDS and not a phrase of the table."""
    folded = [fold(word) for word in words]
    phrase = PHRASES.get(" ".join(folded))
    if phrase is not None:
        if not phrase or default in phrase:
            return Detection(default, "default")
        return Detection(phrase[0], "rule")
    if len(words) > SHORT_WORDS:
        return None
    allowed: frozenset[str] | None = None
    for word in folded:
        languages = SHORT_LEXICON.get(word)
        if languages is not None:
            allowed = languages if allowed is None else allowed & languages
    if not allowed:  # nothing known, or words of different languages ("merci thanks")
        return Detection(default, "default")
    if len(allowed) == 1:
        return Detection(next(iter(allowed)), "rule")
    if default in allowed:
        return Detection(default, "default")
    # The default is ruled out and the words leave a choice: a guess is what this avoids.
    return Detection("", "rule")


# --- the model for longer messages ---------------------------------------------------------

# Inside a title or a name, these lower-case words do not end the run of capitalised words.
TITLE_JOINERS = frozenset("of the and a an in on to for at from with by or van de het en".split())
MIN_WORDS_WITHOUT_TITLES = 3  # with fewer left over, the titles are all there is to go by
# Languages the model scores only to say "none of Loket's": of immigrant communities in
# Flanders and Brussels, and far enough from Dutch, French, English and German that a text in one
# of Loket's languages does not come close (Afrikaans, Frisian or Luxembourgish would).
OTHER_LANGUAGES = ("es", "it", "pt", "tr", "pl", "ro")
# How far (log-probability per byte of text) another language must be ahead of the best of
# Loket's four. Texts in the four stay far below 0; a Spanish song title in a Dutch request can
# reach 0.7; sentences in the other languages score 0.9 to 3.
OTHER_MARGIN = 1.0


def without_titles(text: str) -> str:
    """The text without runs of two or more capitalised words after its first word: titles of
    songs and films, names of people, streets and shops. The whole text when fewer than
    MIN_WORDS_WITHOUT_TITLES words would be left."""
    matches = list(WORD.finditer(text))
    keep = [True] * len(matches)
    index = 1  # the first word is capitalised because it is the first
    while index < len(matches):
        if not matches[index].group()[0].isupper() or _sentence_start(text, matches, index):
            index += 1
            continue
        end, capitals, probe = index, 1, index + 1
        while probe < len(matches):
            word = matches[probe].group()
            if word[0].isupper():
                capitals, end = capitals + 1, probe
            elif word.lower() not in TITLE_JOINERS:
                break
            probe += 1
        if capitals >= 2:
            keep[index : end + 1] = [False] * (end + 1 - index)
        index = end + 1
    if all(keep) or sum(keep) < MIN_WORDS_WITHOUT_TITLES:
        return text
    return " ".join(match.group() for match, kept in zip(matches, keep, strict=True) if kept)


def _sentence_start(text: str, matches: Sequence[re.Match[str]], index: int) -> bool:
    between = text[matches[index - 1].end() : matches[index].start()]
    return any(mark in between for mark in ".!?")


_lock = threading.Lock()
_identifier: Any = None


def load() -> Any:
    """The py3langid model, restricted to Loket's languages and OTHER_LANGUAGES; loaded once per
    process, on first use."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import (  # type: ignore[import-untyped]
                    MODEL_FILE,
                    LanguageIdentifier,
                )

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
                identifier.set_languages([*LANGUAGES, *OTHER_LANGUAGES])
                # Only the restricted table is used; without this the full one (97 languages,
                # some 30 MB) would stay in memory for as long as the process lives.
                if hasattr(identifier, "_full_model"):
                    identifier._full_model = (
                        identifier.nb_ptc,
                        identifier.nb_pc,
                        identifier.nb_classes,
                    )
                _identifier = identifier
    return _identifier


def by_model(text: str) -> str:
    """One of LANGUAGES for a text of some length, or "" when it is clearly in another one."""
    text = without_titles(text)
    ranked = load().rank(text)  # [(language, log-probability)], best first
    language, score = next((lang, score) for lang, score in ranked if lang in LANGUAGES)
    if ranked[0][1] - score > OTHER_MARGIN * len(text.encode()):
        return ""
    return str(language)


# --- the API --------------------------------------------------------------------------------


def detect(text: str, *, default: str = "") -> Detection:
    """The language of a message and what decided it. `default` is the channel's default
    language ("" for none): short messages the rule table cannot settle get it."""
    if default and default not in LANGUAGES:
        raise ValueError(f"default language must be one of {', '.join(LANGUAGES)} or empty")
    cleaned = strip_noise(text[:MAX_CHARS])
    words = WORD.findall(cleaned)
    if not words:
        return Detection(default, "default")
    if not _mostly_latin(words):
        return Detection("", "rule")
    ruled = by_rules(words, default)
    if ruled is not None:
        return ruled
    return Detection(by_model(cleaned), "model")


def detect_language(text: str, *, default: str = "") -> str:
    """The language of a message: one of LANGUAGES, or "" when unknown; see `detect`."""
    return detect(text, default=default).language


def detect_languages(texts: Iterable[str], *, default: str = "") -> list[str]:
    """`detect_language` for each of many messages (one channel's default for all)."""
    return [detect(text, default=default).language for text in texts]
