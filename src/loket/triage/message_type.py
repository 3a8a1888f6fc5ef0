"""Message type: question · complaint · report · compliment · opinion · spam_abuse · other.

No public data labels citizen messages by type, so this is a set of weighted cues written by
hand, in Dutch first and French and English more basically. Each cue that fires adds its
weight to one type; the type with the highest score wins, and `TypeResult.cues` says which
words fired (for the case page: "why this label"). A message with no cue at all is *other*.

What each type listens for:

- report (a problem in public space): an object in public space (straatlamp, stoep, boom,
  container, verkeersbord, auto…) together with a defect (kapot, omgevallen, verstopt, gaat niet
  open, ligt…), or a word that is a report on its own (sluikstort, zwerfvuil, bijplaatsing,
  hondenpoep, geluidsoverlast, fout geparkeerd); a location and a request to act add to it;
- question: a question mark, a question word opening a sentence (hoe, waar, wanneer, mag ik,
  kan ik…), "ik zou graag weten"; a public-service subject (vergunning, afspraak…) adds to it;
- complaint (about the service itself): "ik wil een klacht indienen", "al 3 keer gebeld",
  "niemand reageert", "nog steeds geen antwoord", "melding afgesloten zonder…", and outrage
  (onaanvaardbaar, schandalig) aimed at the organisation;
- compliment: thanks for something done, praise (proficiat, goed gedaan, snel opgelost), or a
  message that is only "bedankt" / "merci"; thanks as a closing formula ("alvast bedankt") is not;
- opinion (policy voice): "ik vind dat…", "ik ben tegen…", "slecht plan", "waarom geen
  fietsstraat", "de gemeente zou moeten…", a proposal;
- spam_abuse: links with promotion, crypto, and insults aimed at the organisation or its people;
- other: commands for a voice assistant (wekker, het weer, muziek, herinneringen, een tafel
  reserveren) and messages without content (a greeting, "test", an emoji).

Plain Python, no Django, no model: fast (one pass of precompiled patterns per type).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Final

from loket.triage.contracts import MessageType
from loket.triage.phrases import PhraseIndex
from loket.triage.textnorm import fold

T = MessageType

# A message whose best score stays below this is "other": nothing spoke for a type.
OTHER_BASELINE: Final = 0.8
# Equal scores go to the type that is most costly to miss.
PRIORITY: Final = (
    T.SPAM_ABUSE,
    T.REPORT,
    T.COMPLAINT,
    T.OTHER,
    T.QUESTION,
    T.OPINION,
    T.COMPLIMENT,
)


@dataclass(frozen=True, slots=True)
class Cue:
    type: MessageType
    name: str  # which rule, e.g. "public_object", "question_mark"
    text: str  # the words in the message that fired it


@dataclass(frozen=True, slots=True)
class TypeResult:
    type: MessageType
    confidence: (
        float  # 0 to 1, a softmax over the scores: for ranking, not a calibrated probability
    )
    cues: tuple[Cue, ...] = ()  # the chosen type's cues first
    scores: dict[MessageType, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Signal:
    type: MessageType
    name: str
    weight: float
    pattern: str  # alternatives joined with "|"; see PhraseIndex


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# --- report ---------------------------------------------------------------------------------

# Objects in public space. Dutch compounds put the head last (restafvalcontainer, stoeptegel),
# so most heads may carry a prefix.
_OBJECTS = _words(
    # lighting
    r"\w*lamp(?:en)?\b",
    r"\w*lantaarn\w*",
    r"\w*lantaren\w*",
    r"\w*lichtmast\w*",
    r"\w*verlichting\b",
    r"\w*straatlicht\w*",
    # waste
    r"\w*container\w*",
    r"\w*kliko\w*",
    r"\w+bak(?:ken|je|jes)?\b",
    r"\bbak(?:ken)?\b",
    r"\w*afval\w*",
    r"\w+vuil\b",
    r"\bvuil\b",
    r"\w*vuilnis\w*",
    r"\w*zak(?:ken)?\b",
    r"\btroep\b",
    r"\brommel\b",
    r"\brotzooi\b",
    r"\bpuin\b",
    r"\w*matras\w*",
    r"\bfrigo\b",
    r"\bkoelkast\b",
    r"\bzetel\b",
    r"\bhuisraad\b",
    r"\bmeubel\w*",
    r"\w*scherven\b",
    r"\bglas\b",
    r"\bblikjes\b",
    r"\bpeuken\b",
    r"\bkerstbo\w*",
    r"\bpmd\w*",
    r"\bgft\w*",
    r"\bpapier\b",
    r"\bplastic\b",
    r"\bkarton\w*",
    r"\bdo(?:os|zen)\b",
    r"\bjerrycan\w*",
    r"\b\w*vat(?:en)?\b",
    r"\b\w*drum\w*",
    r"\bolie\w*",
    r"\blachgas\w*",
    r"\bballonnen\b",
    r"\bemmer\w*",
    r"\bglasplaat\w*",
    r"\bdixie?s?\b",
    r"\bklep(?:pen)?\b",
    r"\btrommel\w*",
    r"\bondergrondse\b",
    r"\bpoepzak\w*",
    r"\bparkeren\b",
    r"\bparkeer\w*",
    r"\bvuurwerk\w*",
    r"\bmilieupa(?:rk|s)\w*",
    # ground, roads, paths
    r"\w*stoep\w*",
    r"\w*trottoir\w*",
    r"\w*voetpad\w*",
    r"\w*fietspad\w*",
    r"\w*wandelpad\w*",
    r"\bjaagpad\b",
    r"\bwegdek\b",
    r"\brijbaan\b",
    r"\brijweg\b",
    r"\basfalt\b",
    r"\w*bestrating\b",
    r"\bstraatwerk\b",
    r"\w*klinker\w*",
    r"\w*tegel\w*",
    r"\w*boordsteen\w*",
    r"\w*stoeprand\w*",
    r"\w*drempel\w*",
    r"\w*zebra(?:pad)?\w*",
    r"\boversteekplaats\w*",
    r"\w*kruispunt\w*",
    r"\w*rotonde\w*",
    r"\w*brug\b",
    r"\w*bruggetje\b",
    r"\w*tunnel\w*",
    r"\w*viaduct\w*",
    r"\bsteeg\w*",
    r"\bbrandgang\w*",
    r"\bslop\b",
    r"\bberm\w*",
    r"\bmiddenberm\b",
    r"\bwegmarkering\w*",
    r"\b\w*markering\w*",
    r"\bbelijning\b",
    r"\bwitte (?:streep|strepen|kruis|lijn|lijnen)\b",
    r"\bhaaientanden\b",
    r"\bvangrail\w*",
    r"\b\w*mast(?:en)?\b",
    r"\bmastnr\w*",
    r"\bdrukknop\w*",
    r"\b\w*muur\b",
    r"\bgevel\w*",
    r"\bspeelpl(?:aats|ek)\w*",
    r"\bbosjes\b",
    r"\bstruikgewas\b",
    r"\bduizendknoop\b",
    r"\bberenklauw\b",
    r"\bput(?:ten)?\b",
    r"\w+put(?:ten)?\b",
    r"\w*deksel\w*",
    r"\w*kolk\w*",
    r"\w*riool\w*",
    r"\bafvoer\w*",
    r"\bgoot\b",
    r"\bregenpijp\w*",
    r"\bbrandkraan\w*",
    r"\bhydrant\w*",
    # street furniture
    r"\w*bord(?:en|je|jes)?\b",
    r"\w*paal\w*",
    r"\w*palen\b",
    r"\w*paaltje\w*",
    r"\w*verkeerslicht\w*",
    r"\w*stoplicht\w*",
    r"\w*hek(?:ken|werk|je)?\b",
    r"\bafzetting\w*",
    r"\w*dranghek\w*",
    r"\bbushalte\w*",
    r"\blift(?:en)?\b",
    r"\broltrap\w*",
    r"\bbushokje\w*",
    r"\babri\b",
    r"\bfietsenrek\w*",
    r"\bfietsnietje\w*",
    r"\bfietsenstalling\w*",
    r"\w*bank(?:je|jes)\b",
    r"\bzitbank\w*",
    r"\bparkbank\w*",
    r"\bfontein\w*",
    r"\bvijver\w*",
    r"\bspeeltuin\w*",
    r"\bspeelplein\w*",
    r"\bspeeltoestel\w*",
    r"\bschommel\w*",
    r"\bglijbaan\w*",
    r"\bskate\w*",
    r"\bparking\b",
    r"\bparkeer(?:plaats|terrein|vak|plek|garage)\w*",
    r"\w*laadpa(?:al|len)\w*",
    r"\w*laadp(?:unt|lek|laats)\w*",
    r"\bparkeermeter\w*",
    r"\w*kast(?:je)?\b",
    r"\w*huisje\b",
    r"\bkabel\w*",
    r"\bgraffiti\b",
    r"\bsticker\w*",
    # water and green
    r"\bsloot\w*",
    r"\bgracht\w*",
    r"\bbeek\b",
    r"\bvaart\b",
    r"\bkanaal\b",
    r"\bboom\w*",
    r"\bbomen\b",
    r"\btak(?:ken)?\b",
    r"\w*struik\w*",
    r"\bhaag\b",
    r"\bhagen\b",
    r"\bheg(?:gen)?\b",
    r"\w*gras\w*",
    r"\bgazon\b",
    r"\bplantsoen\w*",
    r"\bgroenstrook\w*",
    r"\bperk\w*",
    r"\bbloembak\w*",
    r"\bonkruid\b",
    r"\bbladeren\b",
    r"\bwortels?\b",
    r"\bsnoeiafval\b",
    # vehicles parked or left behind
    r"\bauto(?:'s|s)?\b",
    r"\bwagen\b",
    r"\bbestelwagen\w*",
    r"\bbusje\b",
    r"\bvrachtwagen\w*",
    r"\bcamper\w*",
    r"\baanhang(?:er|wagen)\w*",
    r"\bcaravan\w*",
    r"\bscooter\w*",
    r"\bbromfiets\w*",
    r"\bbrommer\w*",
    r"\bfatbike\w*",
    r"\bmotor\w*",
    r"\bfiets(?:en)?\b",
    r"\bkenteken\w*",
    r"\bnummerplaat\w*",
    # animals and pests in public space
    r"\bratten\b",
    r"\bmuizen\b",
    r"\bongedierte\b",
    r"\bmeeuw\w*",
    r"\bduiven\b",
    r"\bwesp\w*",
    r"\bprocessierups\w*",
    r"\breiger\b",
    # French
    r"\blampadaire\w*",
    r"\beclairage\b",
    r"\bpoubelle\w*",
    r"\bdechets?\b",
    r"\bordures\b",
    r"\bchaussee\b",
    r"\bpiste cyclable\b",
    r"\barbres?\b",
    r"\bbranches?\b",
    r"\begouts?\b",
    r"\bavaloir\w*",
    r"\bfeu (?:de signalisation|rouge)\b",
    r"\bpanneau\w*",
    r"\baire de jeux\b",
    r"\bdalles?\b",
    r"\bpaves?\b",
    r"\bvoiture\w*",
    # English
    r"\bstreet ?lights?\b",
    r"\blamp ?posts?\b",
    r"\bbins?\b",
    r"\brubbish\b",
    r"\blitter\b",
    r"\btrash\b",
    r"\bgarbage\b",
    r"\bpavement\b",
    r"\bsidewalk\b",
    r"\broad\b",
    r"\bcycle ?(?:path|lane)\b",
    r"\bbike lane\b",
    r"\bfootpath\b",
    r"\btrees?\b",
    r"\btraffic lights?\b",
    r"\bbench\w*",
    r"\bplayground\b",
    r"\bdrains?\b",
    r"\bmanhole\b",
    r"\bmattress\b",
    r"\bglass\b",
)

_DEFECTS = _words(
    r"\bkapot\w*",
    r"\b(?:is|zijn|ging|gaat) stuk\b",
    r"\bdefect\w*",
    r"\bbeschadigd\w*",
    r"\bvernield\b",
    r"\bvernielingen\b",
    r"\bgebroken\b",
    r"\bafgebroken\b",
    r"\bomgevallen\b",
    r"\bomgewaaid\w*",
    r"\bomver\w*",
    r"\bplat ?gereden\b",
    r"\bscheef\b",
    r"\bloszittend\w*",
    r"\blosliggend\w*",
    r"\bloshangend\w*",
    r"\b(?:ligt|liggen|zit|zitten|hangt|hangen|staat|staan) (?:\w+ )?los\b",
    r"\bverzak\w*",
    r"\bgezakt\b",
    r"\bgat(?:en)?\b",
    r"\bkuil\w*",
    r"\bscheur\w*",
    r"\bbarst\w*",
    r"\blek\w*",
    r"\bverstopt\b",
    r"\boverv?ol\w*",
    r"\b(?:nok|stamp|prop|tjok|barstens|hartstikke)vol\b",
    r"\b(?:zit|zitten|is|zijn|staat|staan|helemaal|alweer|weer) (?:\w+ )?vol\b",
    r"\b(?:gaat|gaan|ging|kan|kunnen) (?:\w+ )?niet (?:meer )?(?:open|dicht)\b",
    r"\bopent niet\b",
    r"\b(?:werkt|werken|doet|doen) (?:\w+ ){0,3}niet\b",
    r"\bniet (?:meer )?(?:herkend|geschikt)\b",
    r"\bbrand(?:t|en)? (?:\w+ ){0,3}niet\b",
    r"\bflikker\w*",
    r"\bknippert\b",
    r"\buitgevallen\b",
    r"\bstoring\w*",
    r"\bblokk?eer\w*",
    r"\bgeblokkeerd\b",
    r"\bligt\b",
    r"\bliggen\b",
    r"\bgedumpt\b",
    r"\bgedeponeerd\b",
    r"\bneergezet\b",
    r"\bachtergelaten\b",
    r"\bniet (?:\w+ )?(?:geleegd|opgehaald|gemaaid|gesnoeid|gestrooid|geveegd)\b",
    r"\bversleten\b",
    r"\bontbreekt\b",
    r"\bverdwenen\b",
    r"\bgestolen\b",
    r"\bingeslagen\b",
    r"\bbeklad\b",
    r"\bbesmeurd\b",
    r"\bglad\b",
    r"\bspekglad\b",
    r"\boverwoekerd\b",
    r"\bdichtgegroeid\b",
    r"\bonder water\b",
    r"\bblank\b",
    r"\bstinkt\b",
    r"\bstank\b",
    r"\bgeparkeerd\b",
    r"\bparkeert\b",
    r"\bdode\b",
    r"\b(?:is|zijn|gaat|gaan) dood\b",
    r"(?<!grof )\bvuile?\b",  # "grof vuil" is bulky waste, a collection service
    r"\bvies\b",
    r"\bniet (?:meer )?(?:open|openen)\b",
    r"\bloopt (?:\w+ ){0,4}niet (?:meer )?(?:weg|door)\b",
    r"\bafbre\w*",
    r"\bgegooid\b",
    r"\bgegooit\b",
    r"\bgooien\b",
    r"\b(?:staat|staan|ligt|liggen)\b[^.!?\n]{0,25}\b(?:dagen|weken|maanden|jaar|jaren|tijd)\b",
    r"\b(?:staat|staan|ligt|liggen) (?:hier |daar |er )?(?:nu )?(?:al )?(?:sinds|lang|geruime)\b",
    r"\bmis mee\b",
    r"\bbuiten (?:werking|gebruik)\b",
    r"\bklem\b",
    r"\bzit(?:ten)? vast\b",
    r"\b\w*blokkade\b",
    r"\bvalt (?:\w+ )?(?:voorover|om|eraf|los)\b",
    r"\bverva\w*",
    r"\bweggezakt\b",
    r"\bwerkte (?:\w+ )?niet\b",
    r"\bzonder slot\b",
    r"\bonbekend\b",
    r"\b(?:zijn|is) op\b",
    r"\b(?:ook|erg|heel|te) vol\b",
    r"\bhalf op\b",
    r"\bblokkeren\b",
    r"\bspoor op de weg\b",
    r"\bbruin\b",
    r"\bis dit (?:al )?bekend\b",
    r"\bcassee?s?\b",
    r"\ben panne\b",
    r"\bne fonctionne (?:plus|pas)\b",
    r"\babime\w*",
    r"\bbouche\w*",
    r"\btombee?s?\b",
    r"\babandonne\w*",
    r"\bbroken\b",
    r"\bdamaged\b",
    r"\bnot working\b",
    r"\bblocked\b",
    r"\boverflowing\b",
    r"\bfallen\b",
    r"\bdumped\b",
    r"\bleaking\b",
    r"\bflickering\b",
)

_REPORT_TERMS = _words(
    r"\bsluikstort\w*",
    r"\bzwerf ?(?:vuil|afval)\b",
    r"\bbij(?:plaatsing|zetting|geplaatst|gezet)\w*",
    r"\b\w*dump\w*",
    r"\bhonden ?(?:poep|drol\w*|uitwerpselen)\b",
    r"\b\w*overlast\w*",
    r"\bgraffiti\b",
    r"\bwildplak\w*",
    r"\bwees ?fiets\w*",
    r"\b(?:fiets|auto)wrak\w*",
    r"\b(?:fout|verkeerd|dubbel|half|asociaal) ?geparkeerd\w*",
    r"\bfout ?parkeer\w*",
    r"\bop (?:de|het) (?:stoep|trottoir|voetpad|fietspad|gras) (?:\w+ )?(?:geparkeerd|parkeren"
    r"|parkeert)\b",
    r"\bblokkeert (?:de |het )?(?:stoep|uitrit|inrit|doorgang|weg|fietspad|oprit)\b",
    r"\bgladheid\b",
    r"\bniet gestrooid\b",
    r"\bput in de weg\b",
    r"\bgat in (?:de|het) (?:weg|wegdek|stoep|fietspad|straat)\b",
    r"\bnids?[- ]de[- ]poule\b",
    r"\bdepots? (?:clandestins?|sauvages?)\b",
    r"\bpotholes?\b",
    r"\bfly-?tipping\b",
    r"\billegal dumping\b",
    r"\bvandalisme\b",
    r"\bhangjeugd\b",
    r"\bhangjongeren\b",
    r"\bgeluidsoverlast\b",
    r"\bwateroverlast\b",
)

# Incidents and nuisance in public space: reported, even when nothing is broken.
_INCIDENTS = _words(
    r"\bgas(?:lucht|geur|lek)\b",
    r"\bnaar gas\b",
    r"\bvechten\b",
    r"\bvol water\b",
    r"\bondergelopen\b",
    r"\bodeur de gaz\b",
    r"\bbrand\b(?! ?(?:niet|de|het))",
    r"\bin brand\b",
    r"\brook\b",
    r"\bincendie\b",
    r"\bfire\b",
    r"\bsmoke\b",
    r"\bontploffing\w*",
    r"\bexplosies?\b",
    r"\bwater (?:staat|stond|loopt|komt)\b",
    r"\bvechtpartij\w*",
    r"\bbedreigt\b",
    r"\bdreigt\b",
    r"\bagressie\w*",
    r"\bagressief\b",
    r"\binbre\w*",
    r"\bongeval\w*",
    r"\bongeluk\w*",
    r"\baanrijding\w*",
    r"\bgewond\w*",
    r"\bbewusteloos\b",
    r"\bgevallen\b",
    r"\bbloedt\b",
    r"\bvermist\b",
    r"\boverstroming\w*",
    r"\bonder water\b",
    r"\bpower line\b",
    r"\bsparks\b",
    r"\bschreeuw\w*",
    r"\blawaai\w*",
    r"\bherrie\b",
    r"\bkabaal\b",
    r"\bharde muziek\b",
    r"\bjongeren\b",
    r"\bjeugd\b",
    r"\bnoise\b",
    r"\bblowen\b",
    r"\bhinderlijk\b",
    r"\bknagen\b",
    r"\bloslopende? hond\w*",
    r"\bbehoefte\w*",
    r"\b\w*mishandeling\b",
    r"\bstroomstoring\w*",
    r"\boliespoor\b",
    r"\bvandal\w*",
    r"\bbruit\b",
)

_LOCATION = _words(
    r"\bter hoogte van\b",
    r"\bt\.?h\.?v\.?\b",
    r"\bop de hoek\b",
    r"\bhoek (?:van )?de\b",
    r"\btegenover\b",
    r"\bnaast (?:de|het)\b",
    r"\bhuis ?(?:nummer|nr)\w*",
    r"\bnr\.? ?\d",
    r"\bnummer \d",
    r"\b(?:aan|in|op|langs) de \w+(?:straat|laan|weg|plein|dreef|steenweg|kaai|lei|singel|dijk)\b",
    r"\b\w+(?:straat|laan|weg|plein|dreef|steenweg) \d{1,4}\b",
    r"\bvoor (?:de deur|ons huis|mijn huis|het huis|de ingang)\b",
)

_REQUEST = _words(
    r"\bgraag (?:\w+ ){0,4}(?:ophalen|weghalen|herstellen|opruimen|repareren|legen|controleren"
    r"|handhaven|snoeien|maaien|vervangen|verwijderen|kijken|plaatsen|terugzetten|rechtzetten"
    r"|schoonmaken|vegen|strooien|koppelen|resetten|egaliseren|actie|laten ophalen)\b",
    r"\b(?:zou|zouden) graag (?:\w+ ){0,6}(?:ophalen|weghalen|aangeveegd|geveegd|opgehaald"
    r"|verwijderd|hersteld|gesnoeid|laten ophalen)\b",
    r"\b(?:kan|kunnen|kunt|kun|zou|zouden|wil|wilt|willen) (?:\w+ ){0,5}(?:opgeruimd|weggehaald"
    r"|hersteld"
    r"|gerepareerd|opgehaald|geleegd|verwijderd|bekeken|gemaakt|gesnoeid|gemaaid|vervangen"
    r"|geplaatst|schoongemaakt|gecontroleerd|gehandhaafd|langs ?(?:komen|gaan|rijden|sturen)"
    r"|opruimen|weghalen|ophalen|herstellen|repareren|verwijderen|legen|snoeien|maaien"
    r"|handhaven|komen (?:kijken|ruimen|bekijken|ophalen|herstellen))\b",
    r"\bgelieve (?:\w+ ){0,4}(?:op te ruimen|te herstellen|weg te halen|te verwijderen)\b",
    r"\b(?:kan|kunnen|kunt|kun|zou|zouden) (?:\w+ ){0,4}(?:iets|wat) (?:\w+ ){0,2}(?:aan|mee)"
    r" (?:gedaan|doen|gebeuren)\b",
    r"\bis (?:het|er) (?:een )?mogelijk(?:heid)? (?:om )?(?:\w+ ){0,4}(?:te )?"
    r"(?:plaatsen|op te halen|ophalen|weg te halen|verwijderen|herstellen|op te ruimen|legen"
    r"|snoeien)\b",
    r"\b(?:kan|kunnen|zou|zouden) er (?:\w+ ){0,3}(?:komen|geplaatst|bijgeplaatst)\b",
    r"\b(?:meer|extra) (?:controle|handhaving|toezicht)\b",
    r"\bis er iets (?:aan )?te doen\b",
    r"\bop een andere (?:plaats|plek)\b",
    r"\bz\.? ?s\.? ?m\.?",
    r"\bmet spoed\b",
    r"\bpourriez-vous (?:\w+ ){0,3}(?:reparer|enlever|nettoyer|ramasser|vider)\b",
    r"\bplease (?:\w+ ){0,2}(?:fix|repair|remove|clean|collect|empty)\b",
)

# --- question -------------------------------------------------------------------------------

_GREETING = (
    r"(?:(?:hallo|hello|hi|dag|goeiedag|goedendag|goede ?morgen|goeiemorgen|goedemiddag|bonjour"
    r"|beste \w+)[,!]?\s+)?"
)
_OPENERS = _words(
    r"wanneer",
    r"waar",
    r"waarom",
    r"hoe(?!(?: \w+)? (?:mooi|leuk|fijn|jammer|erg|prachtig)\b)",
    r"hoeveel",
    r"hoelang",
    r"wat(?! (?:een|fijn|leuk|jammer|mooi|goed|zalig)\b)",
    r"welke?",
    r"wie",
    r"tot wanneer",
    r"vanaf wanneer",
    r"quand",
    r"ou",
    r"comment",
    r"pourquoi",
    r"combien",
    r"quel(?:le)?s?",
    r"when",
    r"where",
    r"why",
    r"how",
    r"what",
    r"which",
    r"who",
)
# A verb first is a question in writing, but informal Dutch starts statements that way too.
_VERB_FIRST = _words(
    r"mag (?:ik|men|je|u)",
    r"mogen (?:we|wij)",
    r"moet (?:ik|men|je)",
    r"moeten (?:we|wij)",
    r"kan (?:ik|men|je|u)",
    r"kunnen (?:we|wij)",
    r"kun (?:je|jij)",
    r"kunt u",
    r"kunde",
    r"kunnen jullie (?:mij|me|ons) (?:zeggen|laten weten|vertellen|helpen|informeren)",
    r"is (?:het|er|dit|dat|de)",
    r"zijn (?:er|de)",
    r"heb ik",
    r"hebben (?:we|wij)",
    r"geldt",
    r"gelden",
    r"worden",
    r"wordt",
    r"bestaat",
    r"klopt",
    r"weet (?:iemand|u|jij|je)",
    r"organiseert",
    r"est-ce",
    r"puis-je",
    r"peut-on",
    r"pouvez-vous",
    r"y a-t-il",
    r"can (?:i|we|you)",
    r"could (?:i|we|you)",
    r"do (?:i|we|you)",
    r"does",
    r"is (?:it|there|the)",
    r"are (?:there|the)",
    r"may i",
)

_INFO_REQUEST = _words(
    r"\bik zou (?:graag )?(?:willen )?weten\b",
    r"\bik vroeg me af\b",
    r"\bik (?:zoek|wil graag|had graag) (?:\w+ ){0,2}(?:informatie|info|uitleg)\b",
    r"\bvraagje\b",
    r"\bik heb een vraag\b",
    r"\bmijn vraag\b",
    r"\bvraag (?:over|is|of)\b",
    r"\bgraag (?:wat )?info\w*",
    r"\bkan iemand (?:mij |me )?(?:zeggen|vertellen)\b",
    r"\bis het mogelijk om\b",
    r"\bhoe zit het met\b",
    r"\bje voudrais savoir\b",
    r"\bje cherche\b",
    r"\bi would like to know\b",
    r"\bi was wondering\b",
    r"\b(?:can|could) you tell me\b",
)

_SERVICE = _words(
    r"\bgrof ?vuil\b",
    r"\bophal\w*",
    r"\bophaaldag\w*",
    r"\bopgehaald\b",
    r"\bafvalkalender\w*",
    r"\baanvra\w*",
    r"\bvergunning\w*",
    r"\bpremie\w*",
    r"\bidentiteitskaart\w*",
    r"\beid\b",
    r"\brijbewijs\w*",
    r"\bpaspoort\w*",
    r"\battest\w*",
    r"\buittreksel\w*",
    r"\bafspraak\b",
    r"\bloket\w*",
    r"\bopeningsu\w*",
    r"\bopeningstijden\b",
    r"\binschrijv\w*",
    r"\bformulier\w*",
    r"\bbelasting\w*",
    r"\baanslagbiljet\w*",
    r"\btarie\w*",
    r"\bkost\b",
    r"\bsubsidie\w*",
    r"\bophaling\w*",
    r"\bophaaldag\w*",
    r"\bafvalkalender\w*",
    r"\b(?:container|recyclage)park\b",
    r"\bbewonerskaart\w*",
    r"\bparkeerkaart\w*",
    r"\bhuwelijk\w*",
    r"\btrouwen\b",
    r"\badres\w*",
    r"\bverhuis\w*",
    r"\bkinderopvang\b",
    r"\bzwembad\w*",
    r"\bbib(?:liotheek)?\b",
    r"\bgemeenteraad\b",
    r"\bocmw\b",
    r"\bcarte d'identite\b",
    r"\bpermis\b",
    r"\bformulaire\b",
    r"\brendez-vous\b",
    r"\bhoraires?\b",
    r"\bpermit\w*",
    r"\bappointment\b",
    r"\bopening hours\b",
    r"\bregist\w*",
)

# --- complaint ------------------------------------------------------------------------------

_COMPLAINT_EXPLICIT = _words(
    r"\bklacht\w*",
    r"\bbeklag\b",
    r"\bplaintes?\b",
    r"\breclamation\b",
    r"\bcomplaint\b",
    r"\bcomplain\w*",
)

_NO_RESPONSE = _words(
    r"\b(?:al |reeds )?(?:\d+|twee|drie|vier|vijf|meerdere|verschillende|diverse|zoveel) ?(?:keer"
    r"|keren|maal|malen|x) (?:\w+ ){0,3}(?:gebeld|gemaild|gevraagd|geschreven|contact)",
    r"\bniemand (?:\w+ ){0,3}(?:reageert|antwoordt|belt|neemt)\b",
    r"\b(?:tweede|derde|vierde|vijfde|zoveelste|\d+(?:e|de|ste)) keer (?:dat )?(?:ik )?"
    r"(?:bel|mail|vraag|schrijf|langskom)\b",
    r"\bdoorverwezen\b",
    r"\bvan het kastje naar de muur\b",
    r"\bnobody (?:\w+ ){0,3}(?:has )?(?:answered|responded|replied|called back)\b",
    r"\bgeen (?:enkele )?(?:reactie|antwoord|respons|terugkoppeling|feedback)\b",
    r"\b(?:wacht|wachten|gewacht) (?:\w+ ){0,2}(?:al|nu al)? ?(?:\d+|twee|drie|vier|vijf|zes"
    r"|enkele) (?:dagen|weken|maanden|uur)\b",
    r"\b(?:al|nu al) (?:\d+|twee|drie|vier|vijf|zes|enkele) (?:dagen|weken|maanden) (?:wacht"
    r"|op een antwoord)",
    r"\b(?:melding|dossier|klacht|aanvraag)\w*\b[^.!?\n]{0,60}\b(?:afgesloten|afgehandeld"
    r"|gesloten)\b",
    r"\b(?:duurt|duurde|duren) (?:het )?(?:zo|veel te|te|erg) lang\b",
    r"\bwachtrij\w*",
    r"\bafgehandeld (?:maar|zonder|terwijl)\b",
    r"\bondanks (?:dat )?(?:de|mijn) melding\b",
    r"\bwaar dienen jullie\b",
    r"\bwachttijd\w*",
    r"\b(?:lang|uren) (?:moeten )?wachten\b",
    r"\bonvriendelijk\w*",
    r"\bonbeleefd\w*",
    r"\bonbeschoft\w*",
    r"\bonprofessioneel\w*",
    r"\bslechte (?:service|dienstverlening|behandeling|communicatie|bereikbaarheid)\b",
    r"\b(?:slecht|beroerd|slordig|knullig|amateuristisch) uitgevoerd\b",
    r"\b(?:niet|nooit) bereikbaar\b",
    r"\bneemt (?:de telefoon )?niet op\b",
    r"\b(?:fout|verkeerd)e? (?:bedrag|factuur|aanslag)\b",
    r"\bbelt (?:niet|nooit) terug\b",
    r"\bstandaardbrief\b",
    r"\bpersonne ne repond\b",
    r"\baucune reponse\b",
    r"\bpas de reponse\b",
    r"\bnobody (?:\w+ )?(?:answers|responds|gets back|replies)\b",
    r"\bno (?:reply|response|answer)\b",
    r"\bterrible service\b",
    r"\bthe way i was treated\b",
)

_NOT_FIXED = _words(
    r"\bnog (?:steeds|altijd) (?:geen|niet|niets|niks)\b",
    r"\b(?:er )?(?:gebeurt|gebeurd) (?:er )?(?:niets|niks)\b",
    r"\b(?:wordt|werd) (?:er )?(?:niets|niks) (?:aan )?gedaan\b",
    r"\b(?:niets|niks) (?:\w+ )?(?:aan )?gedaan\b",
    r"\bmoet (?:echt |toch )?beter\b",
    r"\bzonder dat er (?:ook maar )?(?:iets|iemand) (?:\w+ )?(?:gebeurd|gedaan|gekomen|opgelost)\b",
    r"\b(?:weer |opnieuw )?(?:geweigerd|afgewezen)\b",
    r"\b(?:doet|doen) (?:er )?(?:niets|niks)\b",
    r"\bhoe is (?:het|dat) (?:toch )?mogelijk\b",
    r"\b(?:\d+|twee|drie|vier|vijf|meerdere|verschillende|diverse|zoveel)\w* ?(?:keer|keren|maal"
    r"|malen|x) (?:\w+ ){0,2}gemeld\b",
    r"\bvaker (?:legen|ophalen|maaien|vegen|controleren|handhaven)\b",
    r"\bhoeveel (?:meldingen|keer|keren|maal)\b",
    r"\bnooit (?:controle|handhaving|toezicht|iemand)\b",
    r"\b(?:uberhaupt|ueberhaupt|wel) zin\b",
    r"\bwanneer gaat de gemeente\b",
    r"\btoujours pas\b",
    r"\bstill (?:no|not)\b",
)

_OUTRAGE = _words(
    r"\bonaanvaardbaar\b",
    r"\bschandalig\w*",
    r"\bschande\b",
    r"\bbelachelijk\w*",
    r"\b(?:dit|dat|het) kan (?:echt |toch )?niet\b",
    r"\bniet normaal\b",
    r"\bonbegrijpelijk\b",
    r"\b(?:zeer|erg|heel|echt) (?:ontevreden|teleurgesteld|boos|kwaad|gefrustreerd)\b",
    r"\bontevreden\b",
    r"\bfrustrerend\b",
    r"\bdit is (?:echt )?(?:een )?(?:schande|te gek|niet oke)\b",
    r"\binadmissible\b",
    r"\bscandaleu\w*",
    r"\bhonteu\w*",
    r"\binacceptable\b",
    r"\bunacceptable\b",
    r"\bdisgrace\w*",
    r"\bridiculous\b",
    r"\boutrageous\b",
    r"\bappalling\b",
    r"\bdisappoint\w*",
)

_ORGANISATION = _words(
    r"\bjullie\b",
    r"\bgemeente\b",
    r"\bstad(?:sbestuur|sdiensten)?\b",
    r"\bdienst\w*",
    r"\bloket\b",
    r"\bmedewerk\w*",
    r"\bambtena\w*",
    r"\bpersoneel\b",
    r"\bonthaal\b",
    r"\bklantendienst\b",
    r"\bwebsite\b",
    r"\btelefo\w*",
    r"\bgebeld\b",
    r"\bmail\w*",
    r"\bbrief\b",
    r"\bdossier\b",
    r"\bfactuur\b",
    r"\bboete\b",
    r"\bcommune\b",
    r"\bservice\b",
    r"\bcouncil\b",
    r"\bstaff\b",
)

# --- compliment -----------------------------------------------------------------------------

_PRAISE = _words(
    r"\bproficiat\b",
    r"\bgefeliciteerd\b",
    r"\bfelicitaties\b",
    r"\bcomplimenten?\b",
    r"\bchapeau\b",
    r"\bgoed (?:gedaan|werk|geregeld|georganiseerd)\b",
    r"\bknap (?:werk|gedaan)\b",
    r"\btop (?:gedaan|geregeld|werk)\b",
    r"\bsuper ?(?:gedaan|geregeld|vriendelijk\w*|goed|snel|fijn)\b",
    r"\b(?:vriendelijk|goed|snel|fijn|super|prima|uitstekend) geholpen\b",
    r"\bfantastisch\w*",
    r"\bprachtig\b",
    r"\bschitterend\b",
    r"\bgeweldig\w*",
    r"\bfijn dat\b",
    r"(?<!niet )(?<!niet zo )\bblij (?:mee|dat)\b",
    r"\bdikke merci\b",
    r"\b(?:heel )?(?:erg |hartelijk )?bedankt (?:aan|voor het snel\w*)\b",
    r"\bdank aan\b",
    r"\bmerci (?:beaucoup|aan)\b",
    r"\bbravo\b",
    r"\bfelicitations\b",
    r"\bthank you so much\b",
    r"\bgreat job\b",
    r"\bwell done\b",
    r"\bgood job\b",
    r"\bkudos\b",
    r"\bmuch appreciated\b",
    r"\bis de bom\b",
    r"\becht een verbetering\b",
    r"\bmooie? (?:nieuwe )?\w+,",
    r"\bwat een mooie?\b",
    r"\bzijn er dol op\b",
    r"\bmagnifique\b",
)

_THANKS_FOR = _words(
    r"\bbedankt voor\b",
    r"\bdank (?:u|je|jullie)? ?(?:wel )?voor\b",
    r"\bdank(?:je|u)wel voor\b",
    r"\bmerci (?:voor|pour)\b",
    r"\bthanks? (?:you )?(?:so much |very much )?for\b",
)

_QUICK_FIX = _words(
    r"\b(?:snel|vlot|netjes|goed|super snel) (?:\w+ )?(?:opgelost|hersteld|geholpen|gereageerd"
    r"|opgeruimd|geregeld|gemaakt)\b",
    r"\bsnelle (?:reactie|hulp|tussenkomst|herstelling|herstel|service|opruiming)\b",
    r"\bprobleem opgelost\b",
    r"\b(?:fixing|fixed) (?:\w+ ){0,3}(?:so )?quickly\b",
    r"\baide rapide\b",
)

_BARE_THANKS = re.compile(
    r"^\W*(?:(?:heel |erg |hartelijk )?(?:bedankt|dank u|dank je|dankjewel|dankuwel|merci|thanks?"
    r"|thank you"
    r"|thx|top|super|bravo|chapeau|proficiat)(?: wel| beaucoup| bien| so much| you| hoor"
    r"| allemaal)?\W*)+$"
)

# --- opinion --------------------------------------------------------------------------------

_STANCE = _words(
    r"\bik vind\b",
    r"\b(?:dat|dit|het|persoonlijk|zelf|eerlijk gezegd) vind ik\b",
    r"\bmijns inziens\b",
    r"\bnaar mijn mening\b",
    r"\bmijn mening\b",
    r"\bik ben (?:er )?(?:tegen|voor|niet akkoord|akkoord|het (?:niet )?eens)\b",
    r"\bik steun\b",
    r"\bstop (?:toch )?met\b",
    r"\b(?:zou|moet|moeten|zouden) de (?:gemeente|stad)\b",
    r"\bvolgens mij (?:moet|moeten|zou|zouden)\b",
    r"\bsteun voor\b",
    r"\bik pleit\b",
    r"\bik stel voor\b",
    r"\bvoorstel\w*",
    r"\b(?:slecht|goed|dom|zot|absurd|prima|geweldig)e? (?:plan|idee|voorstel|beleid)\b",
    r"\bwaarom (?:\w+ )?(?:geen|niet)\b",
    r"\bwaarom (?:heeft|hebben|is|wordt|moet|moeten|gaat|gaan) (?:de gemeente|het college|de stad"
    r"|jullie|het bestuur)\b",
    r"\b(?:verzoek|aanvraag|suggestie|idee) (?:\w+ ){0,3}(?:om|voor|tot|of) (?:\w+ ){0,4}"
    r"(?:aanleg|plaats\w*|extra|nieuwe?|meer)\b",
    r"\bof er (?:\w+ ){0,5}kan komen\b",
    r"\b(?:de gemeente|het (?:stads|gemeente)?bestuur|de stad|het college|de schepen"
    r"|de burgemeester)"
    r" (?:zou|moet|moeten|zouden|mag)\b",
    r"\bzou(?:den)? (?:veel )?(?:beter|moeten|eens)\b",
    r"\bmoet(?:en)? (?:er )?(?:echt )?(?:eindelijk )?(?:komen|anders|meer)\b",
    r"\b(?:zonde|verspilling) van (?:ons |het )?(?:belasting)?geld\b",
    r"\bhet is tijd dat\b",
    r"\bwerk maken van\b",
    r"\binvesteren in\b",
    r"\bdat moet er komen\b",
    r"\bdoe het\b",
    r"\bveel te (?:hoog|duur|laag)\b",
    r"\bje pense\b",
    r"\ba mon avis\b",
    r"\bselon moi\b",
    r"\bje suis (?:contre|pour)\b",
    r"\b(?:la commune|la ville) devrait\b",
    r"\bi think\b",
    r"\bin my opinion\b",
    r"\bi believe\b",
    r"\bi(?: am|'m) (?:against|in favou?r)\b",
    r"\bshould (?:invest|stop|build)\b",
    r"\b(?:bad|good|terrible) idea\b",
    r"\bwaste of (?:money|taxpayers)\b",
)

_POLICY = _words(
    r"\bbeleid\w*",
    r"\b\w*plan\b",
    r"\bgemeenteraad\b",
    r"\bbestuur\b",
    r"\bschepen\w*",
    r"\bburgemeester\b",
    r"\bbelastinggeld\b",
    r"\bbelastingen\b",
    r"\b\w*tarieven\b",
    r"\bheraanleg\w*",
    r"\bfietsstraat\w*",
    r"\bzone 30\b",
    r"\bautovrij\w*",
    r"\bschoolstraat\w*",
    r"\bsluiting\b",
    r"\bpolitique\b",
    r"\bpolicy\b",
    r"\bcouncil\b",
)

# --- spam and abuse -------------------------------------------------------------------------

_LINK = _words(
    r"https?://",
    r"\bwww\.",
    r"\.(?:com|net|io|xyz|example)\b",
    r"\bbit\.ly\b",
    r"\blink in bio\b",
)

_PROMO = _words(
    r"\bverdien\w*",
    r"\bgeld verdienen\b",
    r"\bgratis\b",
    r"\bwinnen\b",
    r"\bkorting\b",
    r"\bpromo\w*",
    r"\baanbieding\w*",
    r"\bklik hier\b",
    r"\bclick here\b",
    r"\bdm me\b",
    r"\bfollowers\b",
    r"\blikes\b",
    r"\bcasino\w*",
    r"\bloterij\b",
    r"\bcrypto\w*",
    r"\bbitcoin\w*",
    r"\bforex\b",
    r"\binvesteer nu\b",
    r"\bverdubbel\w* (?:je|uw|jouw) (?:geld|inleg)\b",
    r"\bhot singles\b",
    r"\bmake money\b",
    r"\bcheap\b",
    r"\bdiscount\b",
    r"\bvisit our\b",
    r"\bbuy now\b",
    r"\bbel nu\b",
    r"\bsurf naar\b",
    r"\bcheck out my\b",
    r"\bmoney fast\b",
    r"\bwebshop\w*",
    r"\bgoedkope?\b",
    r"\bbekijk mijn\b",
    r"\bearn\b",
    r"\bfrom home\b",
    r"\bmessage me\b",
)

_INSULT = _words(
    r"\bklootza\w*",
    r"\bidioot\b",
    r"\bidioten\b",
    r"\bdebiel\w*",
    r"\bmongool\w*",
    r"\bkanker(?!(?:patient|onderzoek|fonds|bestrijding| ?patient))\w*",
    r"\btyfus\w*",
    r"\bkut\w*",
    r"\bhoer\w*",
    r"\brot op\b",
    r"\bflikker op\b",
    r"\boprotten\b",
    r"\bfuck\w*",
    r"\bshit\b",
    r"\bconnards?\b",
    r"\bputain\b",
    r"\bsalaud\w*",
    r"\bencule\w*",
    r"\bidiots?\b",
    r"\bmorons?\b",
    r"\bbastards?\b",
    r"\bincapables\b",
    r"\bprofiteurs\b",
    r"\bzakkenvuller\w*",
    r"\bvuile (?:dief|dieven|leugenaar\w*|rat|ratten)\b",
    r"\bleugenaar\w*",
    r"\bonbenul\w*",
    r"\bstelletje\b",
)

_DIRECTED = _words(
    r"\bjullie zijn\b",
    r"\bzijn jullie\b",
    r"\bvous etes\b",
    r"\byou are\b",
    r"\byou're\b",
    r"\bu bent\b",
    r"\bstelletje\b",
    r"\bbande de\b",
    r"\bis een (?:\w+ )?(?:dief|leugenaar|idioot|klootzak)\b",
    r"\bjullie (?:allemaal|gemeente)\b",
    r"\bik hoop dat jullie\b",
)

# --- other: not a message for the municipality ----------------------------------------------

_ASSISTANT = _words(
    r"\bwekker\w*",
    r"\balarm(?:en|s)?\b",
    r"\bsnooze\b",
    r"\bherinner (?:me|mij)\b",
    r"\bherinnering\w*",
    r"\bremind me\b",
    r"\breminders?\b",
    r"\b(?:speel|zet) (?:\w+ ){0,4}(?:muziek|nummer|liedje|album|playlist|afspeellijst|radio)\b",
    r"\bafspe(?:e)?l\w*",
    r"\bplaylist\w*",
    r"\bafspeellijst\w*",
    r"\bplay (?:\w+ ){0,4}(?:music|song|album|playlist|track|radio|jazz)\b",
    r"\bhet weer\b",
    r"\bweer (?:in|voor|vandaag|morgen)\b",
    r"\bweerbericht\b",
    r"\bwat voor weer\b",
    r"\b(?:wie|wat) (?:heeft|hebben|is) (?:\w+ ){0,3}gewonnen\b",
    r"\bweersverwachting\b",
    r"\bweather\b",
    r"\bforecast\b",
    r"\btemperatuur\b",
    r"\bluchtvochtigheid\b",
    r"\b(?:gaat|zal|wordt) het (?:\w+ ){0,3}(?:regenen|sneeuwen|vriezen|waaien|onweren|stormen"
    r"|zonnig|bewolkt|warm|koud|heet)\b",
    r"\bhoe (?:warm|koud|heet) (?:is|wordt|gaat)\b",
    r"^\W*(?:is|wordt|word|gaat|zal|wanneer|wat|hoe|heb ik|hebben we|moet ik|when|will|is|what"
    r"|how|do i|does|are we|is it)\b[^.!?\n]{0,80}\b(?:regen\w*|sneeuw\w*|bewolkt|zonnig|koud\w*"
    r"|warm\w*|heet|hitte\w*|vochtig\w*|winderig|wind|vriespunt|voorspelling\w*|paraplu|jas"
    r"|temperat\w*|rain\w*|snow\w*|sunny|cloudy|hot|cold|humid\w*|windy|freezing|chilly|storm\w*"
    r"|blizzard|heat index|umbrella|coat|forecast)\b",
    r"^\W*(?:put|add|zet|voeg) \S[^.!?\n]{0,60}\b(?:on|to|onto|op|aan) (?:my|the|mijn|de) ",
    r"\bfilm ?(?:tijden|overzicht\w*)\b|\bfilms\b",
    r"\bwill it (?:rain|snow|be)\b",
    r"\breserveer\w*",
    r"\breservering\b",
    r"\bboek (?:een|a)\b",
    r"\btafel voor\b",
    r"\btable for\b",
    r"\brestaurant\w*",
    r"\bbioscoop\w*",
    r"\bcinema\b",
    r"\bmovies?\b",
    r"\bmovie (?:house|theat\w*)\b",
    r"\bfilm\w* (?:draait|draaien|spelen|speelt)\b",
    r"\bbeoordeel\b",
    r"\b(?:geef|give) (?:\w+ ){0,4}(?:sterren|punten|stars|points)\b",
    r"\brate (?:this|the)\b",
    r"\bbook a table\b",
    r"\bvoeg (?:\w+ ){0,6}toe aan\b",
    r"\badd (?:\w+ ){0,6}to (?:my |the )?\w*\s?playlist\b",
)

_NO_CONTENT = re.compile(
    r"^\W*(?:(?:hallo|hello|hi|hey|dag|goeiedag|goedendag|goede ?morgen|goeiemorgen|goedemiddag"
    r"|goedenavond"
    r"|bonjour|bonsoir|test|testing|ok|oke|lol|haha\w*|@\S+)\W*)*$"
)

SIGNALS: Final[tuple[Signal, ...]] = (
    Signal(T.REPORT, "report_term", 2.5, _REPORT_TERMS),
    Signal(T.REPORT, "public_object", 1.0, _OBJECTS),
    Signal(T.REPORT, "defect", 1.0, _DEFECTS),
    Signal(T.REPORT, "incident", 1.5, _INCIDENTS),
    Signal(T.REPORT, "location", 0.5, _LOCATION),
    Signal(T.REPORT, "request_to_act", 1.0, _REQUEST),
    Signal(T.QUESTION, "question_mark", 1.5, r"\?"),
    Signal(
        T.QUESTION,
        "question_word",
        1.5,
        rf"^{_GREETING}{_OPENERS}\b|[.!?\n]\s*{_GREETING}{_OPENERS}\b",
    ),
    Signal(
        T.QUESTION,
        "question_verb",
        1.5,
        rf"^{_GREETING}{_VERB_FIRST}\b|[.!?\n]\s*{_GREETING}{_VERB_FIRST}\b",
    ),
    Signal(T.QUESTION, "information_request", 1.5, _INFO_REQUEST),
    Signal(T.QUESTION, "public_service", 0.5, _SERVICE),
    Signal(T.COMPLAINT, "complaint", 3.0, _COMPLAINT_EXPLICIT),
    Signal(T.COMPLAINT, "no_response", 4.5, _NO_RESPONSE),
    Signal(T.COMPLAINT, "not_fixed", 2.0, _NOT_FIXED),
    Signal(T.COMPLAINT, "outrage", 1.5, _OUTRAGE),
    Signal(T.COMPLAINT, "organisation", 0.5, _ORGANISATION),
    Signal(T.COMPLIMENT, "praise", 2.5, _PRAISE),
    Signal(T.COMPLIMENT, "thanks_for", 1.5, _THANKS_FOR),
    Signal(T.COMPLIMENT, "quick_fix", 1.5, _QUICK_FIX),
    Signal(T.OPINION, "stance", 2.5, _STANCE),
    Signal(T.OPINION, "policy", 0.7, _POLICY),
    Signal(T.SPAM_ABUSE, "link", 1.0, _LINK),
    Signal(T.SPAM_ABUSE, "promotion", 1.5, _PROMO),
    Signal(T.SPAM_ABUSE, "insult", 1.5, _INSULT),
    Signal(T.SPAM_ABUSE, "aimed_at_you", 1.0, _DIRECTED),
    Signal(T.OTHER, "assistant_command", 3.5, _ASSISTANT),
)

DISSATISFIED: Final = frozenset({"no_response", "not_fixed", "outrage"})
# Bonuses for cues that mean more together than apart.
OBJECT_AND_DEFECT: Final = 1.5
INSULT_AIMED: Final = 1.0
DISSATISFIED_TWICE: Final = 1.0
STANCE_OVER_QUESTION: Final = 1.5
REQUEST_OVER_QUESTION: Final = 1.5
LINK_AND_PROMOTION: Final = 1.0


# Cues that count again for a second, different match ("nog altijd niet … hoe is dat mogelijk").
COUNT_TWICE: Final = frozenset({"not_fixed", "outrage", "stance"})


_INDEX: Final = PhraseIndex([(number, signal.pattern) for number, signal in enumerate(SIGNALS)])


def _fired(folded: str, text: str) -> list[Cue]:
    cues = []
    seen: dict[int, set[str]] = {}
    for hit in _INDEX.hits(folded):
        signal = SIGNALS[hit.label]
        texts = seen.setdefault(hit.label, set())
        limit = 2 if signal.name in COUNT_TWICE else 1
        words = folded[hit.start : hit.end]
        if len(texts) >= limit or words in texts:
            continue
        texts.add(words)
        cues.append(Cue(signal.type, signal.name, text[hit.start : hit.end].strip()))
    stripped = folded.strip()
    if _BARE_THANKS.match(stripped):
        cues.append(Cue(T.COMPLIMENT, "only_thanks", text.strip()))
    elif _NO_CONTENT.match(stripped):
        cues.append(Cue(T.OTHER, "no_content", text.strip()))
    return cues


_WEIGHTS: Final = {signal.name: signal.weight for signal in SIGNALS} | {
    "only_thanks": 3.0,
    "no_content": 1.5,
}


def _scores(cues: list[Cue]) -> dict[MessageType, float]:
    names = {cue.name for cue in cues}
    scores = dict.fromkeys(T, 0.0)
    for cue in cues:
        if cue.name == "organisation" and not names & DISSATISFIED:
            continue  # naming the service is only a complaint cue next to dissatisfaction
        if cue.name == "policy" and not names & {"stance", "question_mark"}:
            continue
        scores[cue.type] += _WEIGHTS[cue.name]
    if {"public_object", "defect"} <= names:
        scores[T.REPORT] += OBJECT_AND_DEFECT
    if sum(cue.name in DISSATISFIED for cue in cues) >= 2:
        scores[T.COMPLAINT] += DISSATISFIED_TWICE
    if {"insult", "aimed_at_you"} <= names:
        scores[T.SPAM_ABUSE] += INSULT_AIMED
    if {"link", "promotion"} <= names:
        scores[T.SPAM_ABUSE] += LINK_AND_PROMOTION
    if "insult" in names and "aimed_at_you" not in names and scores[T.SPAM_ABUSE] < 2.5:
        scores[T.SPAM_ABUSE] = 0.0  # a swear word inside a report is not abuse of the service
    if "link" in names and "promotion" not in names:
        scores[T.SPAM_ABUSE] -= 1.0  # a link alone (a map, a photo) is no spam
    if "question_verb" in names and "question_mark" not in names:
        # Informal Dutch starts statements with a verb too: "Wordt weer gedeald!!"
        scores[T.QUESTION] -= _WEIGHTS["question_verb"] / 2
    if "request_to_act" in names and scores[T.QUESTION] > 0:
        # "Kunnen jullie dit komen opruimen?" asks for an action, not for information.
        scores[T.QUESTION] = max(0.0, scores[T.QUESTION] - REQUEST_OVER_QUESTION)
    if "stance" in names and scores[T.QUESTION] > 0:
        # "Ik ben tegen de sluiting. Waar moeten de kinderen zwemmen?", "waarom geen
        # fietsstraat?": a question after a stance is rhetorical.
        scores[T.QUESTION] = max(0.0, scores[T.QUESTION] - STANCE_OVER_QUESTION)
    return scores


def classify(text: str) -> TypeResult:
    """The message type, how sure, and the cues behind it."""
    folded = fold(text)
    cues = _fired(folded, text)
    scores = _scores(cues)
    best = max(PRIORITY, key=lambda kind: (scores[kind], -PRIORITY.index(kind)))
    if scores[best] < OTHER_BASELINE:
        best = T.OTHER
    # Softmax with "other" held at the baseline: 1.0 when one type stands alone.
    exps = {
        kind: math.exp(max(score, OTHER_BASELINE if kind is T.OTHER else score))
        for kind, score in scores.items()
    }
    confidence = exps[best] / sum(exps.values())
    ordered = tuple(sorted(cues, key=lambda cue: cue.type is not best))
    return TypeResult(
        type=best,
        confidence=round(confidence, 3),
        cues=ordered,
        scores={kind: round(score, 2) for kind, score in scores.items() if score},
    )


def message_type(text: str) -> MessageType:
    return classify(text).type
