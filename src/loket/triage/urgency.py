"""Urgency: is a citizen message *urgent* (it jumps the queue, the coordinator hears of it) or
*normal*? Transparent rules, no model; the full list with examples is in ``docs/urgency.md``.

A message is urgent when one of these fires (Dutch, French and English wording):

Danger to life or health
    ``gas``          gas smell or leak: gaslucht, gasgeur, gaslek, "ik ruik gas", odeur de gaz
    ``fire``         a fire now: brand in…, staat in brand, vlammen, (zwarte) rook uit…, incendie
    ``medical``      bewusteloos, reageert niet meer, ademt niet, bloedt hevig, zwaargewond,
                     hartaanval, inconscient, unconscious, not breathing
    ``accident``     ongeval/ongeluk/aanrijding with gewonden, slachtoffers, an ambulance
    ``electricity``  a cable on the street or hanging loose, sparks, an open electricity cabinet
    ``flood``        overstroming, water in huis/de kelder, the water comes into the houses
    ``obstacle``     a tree on the road, a car or a house; a road blocked by a fallen tree;
                     a branch hanging over a road; a missing manhole cover; a sinkhole
    ``missing``      a missing child or person: kind vermist, disparu, missing child
    ``life_danger``  the citizen says it is life-threatening: levensgevaarlijk, danger de mort
Safety
    ``violence``     vechtpartij, steekpartij, schietpartij, mishandeling, a knife or a gun
    ``burglary``     a burglary going on now: inbrekers bezig, cambriolage en cours
    ``threat``       aggression and threats: bedreigt, dreigt met, agressief, menace
Crisis
    ``crisis``       evacuatie, explosie, ontploffing, bomalarm, gifwolk, explosion
Threats of self-harm
    ``self_harm``    zelfmoord, ik wil niet meer leven, ik maak er een einde aan, je veux mourir,
                     kill myself. The result then carries ``helpline="1813"`` (de Zelfmoordlijn)
                     so that the agent's screen can show it.

False alarms the rules avoid:

- words that only contain an alarm word: brandweerkazerne, brandgang, brandkraan, explosief,
  aanslagbiljet, zelfmoordpreventie; a lamp that "brandt niet";
- a calm report of something past: "vorige maand was er een brand", "de brand is geblust"
  (fire, accident, violence, crisis and threats only; gas, a missing child and self-harm
  are never treated as over);
- negation and near misses: "geen gewonden", "niemand gewond", "bijna aangereden";
- questions about procedures and hypotheticals: "hoe meld ik een gaslek?", "voor de zekerheid",
  "voordat er ongelukken gebeuren", an open day at the fire station;
- jokes: "haha", "😂" in a message with fire, explosion or violence words.

The rules are tuned for recall (an urgent message must not be missed) over precision: an agent
lowers the priority of a false alarm in one click.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from loket.triage.phrases import PhraseIndex
from loket.triage.textnorm import fold

HELPLINE: Final = "1813"
URGENT: Final = "urgent"
NORMAL: Final = "normal"

# Categories of the rules, as named in docs/urgency.md.
DANGER, SAFETY, CRISIS, SELF_HARM = "danger", "safety", "crisis", "self_harm"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    category: str
    pattern: str  # alternatives joined with "|", matched on folded text (see PhraseIndex)
    # A past event reported calmly ("vorige maand was er een brand") does not make it urgent.
    past_can_cancel: bool = True
    # Context anywhere in the message that makes the cue no alarm.
    cancel: str | None = None


@dataclass(frozen=True, slots=True)
class UrgencyResult:
    urgent: bool
    reasons: tuple[str, ...] = ()  # names of the rules that fired, e.g. ("gas",)
    cues: tuple[str, ...] = ()  # the words in the message that fired them
    helpline: str = ""  # "1813" when the message speaks of self-harm

    @property
    def label(self) -> str:
        return URGENT if self.urgent else NORMAL


_ROAD = r"(?:weg|rijweg|rijbaan|straat|baan|autoweg|fietspad|kruispunt|spoor|rails)"
_HIT = rf"(?:{_ROAD}|auto|wagen|huis|dak|woning|voordeur|gevel)\b"
RULES: Final[tuple[Rule, ...]] = (
    Rule(
        "gas",
        DANGER,
        (
            r"\bgas(?:lucht|geur|reuk|lek|lekkage)\b|\bruik(?:en|t)? (?:\w+ ){0,3}gas\b"
            r"|\bruik\w*\b[^.!?\n]{0,40}\bnaar gas\b|\bnaar gas (?:ruiken|ruikt|stinken|stinkt)\b"
            r"|\bgas (?:ruiken|lucht|geur|lek)|\bstinkt naar gas|\bodeur de gaz|\bfuite de gaz"
            r"|\bsent le gaz|\bsmell(?:s|ing)? (?:of )?gas\b|\bgas leak"
        ),
        past_can_cancel=False,
    ),
    Rule(
        "fire",
        DANGER,
        (
            r"\b(?:er is|er woedt|er is een|zware|grote|uitslaande|felle) brand\b"
            r"(?! (?:niet|wel|al|nog|de hele|overdag|continu|dag en nacht))"
            r"|\bbrand (?:in|aan|bij|op) (?:de|het|een|ons|onze|mijn)\b|\bbrand!"
            r"|\b(?:staat|staan) in (?:brand|de fik|lichterlaaie)\b|\bin brand gevlogen\b"
            r"|\bvlammen\b|\b(?:zwarte|veel|dikke) rook\b|\bkomt (?:\w+ ){0,2}rook (?:uit|van)\b"
            r"|\brook (?:komt )?uit (?:het|de|een) (?:dak|raam|ramen|woning|huis|gebouw|kelder"
            r"|loods)"
            r"|\brook in (?:huis|de woning|de gang|het gebouw)\b"
            r"|\brookontwikkeling\b|\bincendie\b|\ben feu\b|\bau feu\b|\bfumee\b"
            r"|\b(?:a |on |house |building )fire\b|\bfire in\b|\bsmoke\b|\bflames\b"
        ),
        # Smoke from fireworks, a wood stove or a barbecue is a nuisance; fire damage is past.
        cancel=(
            r"\bvuurwerk\w*|\bhoutvu\w*|\bhoutkachel\w*|\bhoutstook\w*|\bbbq\b|\bbarbecue\w*"
            r"|\brookoverlast\b|\bstankoverlast\b|\bopen haard\b|\bbrandschade\b|\bfireworks?\b"
        ),
    ),
    Rule(
        "medical",
        DANGER,
        (
            r"\bbewusteloos\b|\bbuiten bewustzijn\b|\b(?:hij|zij|ze|man|vrouw|persoon|kind|baby"
            r"|iemand|buurman|buurvrouw|moeder|vader|oma|opa) reageert niet (?:meer|goed)\b"
            r"|\bademt niet\b|\bniet meer (?:ademen|ademt)\b|\bhartaanval\b|\bhartstilstand\b"
            r"|\bbloedt (?:hevig|erg|veel|zwaar)\b|\bzwaar ?gewond\w*|\bernstig gewond\w*"
            r"|\binconscient\b|\bne respire plus\b|\bunconscious\b|\bnot breathing\b"
            r"|\bheart attack\b|\bbleeding (?:heavily|badly)\b|\bbadly (?:hurt|injured)\b"
        ),
    ),
    Rule(
        "accident",
        DANGER,
        (
            r"\b(?:ongeval|ongeluk|aanrijding|botsing|accident|crash|collision)\b"
            r"(?=[^.!?\n]*\b(?:gewond\w*|slachtoffers?|ambulance|bloed\w*|bekneld|op de grond"
            r"|blesses?|injured|victims?)\b)"
            r"|\b(?:gewonden|slachtoffers|blesses|injured)\b"
        ),
    ),
    Rule(
        "electricity",
        DANGER,
        (
            r"\b(?:stroom|elektriciteits|hoogspannings)?kabels? (?:\w+ ){0,2}"
            r"(?:ligt|liggen|hangt|hangen|hangend|op straat|op de grond|op de weg|bloot)\b"
            r"|\bloshangende (?:stroom|elektriciteits)?(?:kabels?|draden)\b|\bvonken\b"
            r"|\b(?:elektriciteits|stroom|hoogspannings)(?:draad|draden|kabels?) (?:\w+ ){0,2}"
            r"(?:hangt|hangen|ligt|liggen)\b"
            r"|\b(?:draad|draden|kabels?) (?:\w+ ){0,3}(?:heel |erg |te )?laag over (?:de|het)\b"
            r"|\bonder spanning\b|\bblote (?:draden|kabels)\b|\bhoogspanningskabel"
            r"|\b(?:stroom|elektriciteits|elektra|verdeel)(?:kast|kastje|huisje|cabine)\b"
            r"[^.!?\n]{0,60}\b(?:open\w*|kapot|vernield)"
            r"|\belektra\b[^.!?\n]{0,40}\bopengebroken|\bcables? electriques?\b"
            r"|\bfils electriques\b|\bpower lines? (?:is |are )?down\b|\blive wires?\b"
            r"|\bdowned (?:power )?lines?\b|\bsparks\b"
        ),
    ),
    Rule(
        "flood",
        DANGER,
        (
            r"\boverstroming\w*|\boverstroomd\b|\bondergelopen\b"
            r"|\bwater in (?:huis|de kelder|de woning|ons huis|mijn huis|de living|de garage)\b"
            r"|\b(?:kelder|huis|woning|living|garage|huizen|woningen)\w* (?:\w+ ){0,3}"
            r"(?:loopt|lopen|staat|staan|liep|liepen) (?:\w+ )?(?:vol|onder)\b"
            r"|\bwater (?:komt|loopt|stroomt) (?:\w+ ){0,4}(?:binnen|het huis in|de huizen)\b"
            r"|\bloopt (?:\w+ ){0,3}(?:huizen|huis|woning|kelder|woningen) (?:in|binnen)\b"
            r"|\bbuiten (?:haar|zijn) oevers\b|\binondation\w*|\binonde\w*"
            r"|\bflood(?:ing|ed)?\b|\bwater in the (?:house|basement)\b"
        ),
    ),
    Rule(
        "obstacle",
        DANGER,
        (
            rf"\bboom (?:\w+ ){{0,3}}(?:omgevallen|omgewaaid|gevallen|gewaaid|ligt|liggen|viel)\b"
            rf"[^.!?\n]{{0,30}}\b(?:op|over) (?:de|het|een|mijn|onze) (?:\w+ )?{_HIT}"
            rf"|\b(?:ligt|liggen|lag) (?:\w+ ){{0,3}}boom (?:\w+ ){{0,3}}(?:op|over) "
            rf"(?:de|het|een|mijn|onze) (?:\w+ )?{_HIT}"
            rf"|\bboom (?:\w+ )?(?:op|over) (?:de|het|een|mijn|onze) (?:\w+ )?{_HIT} "
            r"(?:\w+ )?(?:gevallen|gewaaid|terechtgekomen|omgevallen)\b"
            r"|\b(?:omgevallen|omgewaaide|gevallen) boom\b[^.!?\n]{0,40}"
            r"\b(?:op de|over de|blokkeert|verspert|midden)"
            r"|\b(?:boom|bomen|tak|takken)\b[^.!?\n]{0,40}\b(?:blokkeert|blokkeren|verspert)"
            r" (?:de |het )?(?:\w+ )?(?:weg|rijweg|rijbaan|straat|fietspad|voetpad|doorgang|baan)\b"
            r"|\b(?:boom|bomen|tak|takken)\b[^.!?\n]{0,40}\bgeen doorgang\b"
            r"|\b(?:weg|straat|baan) (?:is )?(?:volledig )?versperd\b"
            rf"|\btak(?:ken)? (?:\w+ ){{0,4}}boven (?:de|het) (?:{_ROAD}|speeltuin|speelplein)"
            r"|\b(?:put|riool|kolk)?deksels? (?:\w+ ){0,2}"
            r"(?:ontbreekt|ontbreken|weg|vermist|verdwenen|eraf)\b"
            r"|\bontbrekende (?:put|riool|kolk)?deksel|\bzinkgat\b|\b(?:is|zijn) ingestort\b"
            r"|\bstort in\b|\bdreigt in te storten\b|\binstortingsgevaar\b|\bstaat op instorten\b"
            r"|\barbre (?:est )?tombe\b|\btree (?:has )?(?:fallen|fell|down)\b|\bfallen tree\b"
            r"|\bmissing (?:manhole|drain) cover\b|\bsinkhole\b"
            r"|\bgevaarlijke situatie,? (?:nu|op dit moment)\b"
            rf"|\b(?:gat|gaten|kuil|boom|tak|paal|hek|obstakel)\b[^.!?\n]{{0,30}}\bmidden op "
            rf"(?:de|het) (?:\w+ )?{_ROAD}\b"
            r"|\bdeksel (?:\w+ )?naast (?:de|het) (?:put|riool|kolk)\b"
        ),
    ),
    Rule(
        "missing",
        DANGER,
        (
            r"\b(?:kind|kindje|zoon|dochter|jongen|meisje|zoontje|dochtertje|persoon|oma|opa|"
            r"vader|moeder|man|vrouw|broer|zus)\b[^.!?\n]{0,40}\b(?:vermist|verdwenen|weggelopen)"
            r"|\bvermiste? (?:kind|persoon|jongen|meisje|man|vrouw)\b"
            r"|\benfant (?:a )?disparu|\bdisparue?\b[^.!?\n]{0,30}\b(?:enfant|fils|fille)\b"
            r"|\b(?:child|kid|son|daughter|boy|girl|person)\b[^.!?\n]{0,30}\bmissing\b"
            r"|\bmissing (?:child|person|kid)\b"
        ),
        past_can_cancel=False,
    ),
    Rule(
        "life_danger",
        DANGER,
        (r"\blevensgevaar\w*|\bdanger de mort\b|\blife[- ]threatening\b"),
        # "Levensgevaarlijk" about a lasting situation (a dark crossing, speeding, a street
        # light out for weeks) is emphasis for a report, not an emergency.
        cancel=(
            r"\bal (?:\w+ )?(?:dagen|weken|maanden|jaren|lang|tijden|vanaf)\b|\bsinds\b"
            r"|\b(?:elke|iedere) keer\b|\bdagelijks\b|\bvoortdurend\b|\bregelmatig\b"
            r"|\bvaak\b|\bvaker\b|\bzoveelste\b|\bnog (?:steeds|altijd)\b|\bstructureel\b"
            r"|\bmeerdere (?:keren|malen)\b|\beerder gemeld\b|\b\w*verlichting\b|\blantaarn\w*"
            r"|\blichtmast\w*|\bonverlicht\b|\bdonker\b|\brijd\w*|\bsnelheid\b|\bvoorrang\b"
            r"|\bhandhav\w*|\bgeparkeerd\w*|\bparkeren\b|\boversteek\w*|\bzebra\w*|\bverkeer\b"
            r"|\blantar\w*|\blamp\w*|\bzicht\b|\bvuurwerk\w*|\bbommen\b|\bknallen\b|\bgefietst\b"
            r"|\bautomobilist\w*|\bscheurt\b|\bscheuren\b|\bhard (?:rijden|fietsen)\b"
        ),
    ),
    Rule(
        "violence",
        SAFETY,
        (
            r"\bvechtpartij\w*|\b(?:zijn|staan|aan het) (?:aan het )?vechten\b"
            r"|\bvechten (?:op|met elkaar|in|voor de)\b|\bgevecht\b|\bsteekpartij\w*"
            r"|\bschietpartij\w*|\bschoten (?:gelost|gehoord)\b|\b(?:wordt|werd) geschoten\b"
            r"|\bneergestoken\b|\bneergeschoten\b"
            r"|\bmishandel(?:ing|d|t|en)?\b(?! (?:van )?(?:een |de |mijn )?(?:hond|kat|dier|paard))"
            r"|\b(?:iemand|man|vrouw|jongen|meisje|hem|haar|mij|ons|kind) in elkaar "
            r"(?:geslagen|getrapt|geschopt)|\bslaan (?:op|elkaar)\b|\bescaleert\b"
            r"|\b(?:met|heeft|had|zwaait|dreigt) (?:een |met een )?(?:mes|messen|wapen|pistool"
            r"|vuurwapen|geweer|machete)\b|\bbagarre\b|\bse battent\b|\bcouteau\b"
            r"|\b(?:mes|messen|wapen|pistool) (?:\w+ ){0,3}in (?:de|zijn|haar|z'n) hand\b"
            r"|\bfight(?:ing)?\b|\bstabb(?:ing|ed)\b|\bshooting\b|\bassault\w*"
            r"|\b(?:a |with a |has a )(?:knife|gun)\b"
        ),
        cancel=(r"\b(?:hond|honden|kat|katten|dier|dieren|paard)\w* (?:die )?(?:\w+ )?mishandel"),
    ),
    Rule(
        "burglary",
        SAFETY,
        (
            r"\binbre\w*[^.!?\n]{0,40}\b(?:nu|bezig|op dit moment|momenteel|aan de gang)\b"
            r"|\b(?:nu|bezig|momenteel|op dit moment)\b[^.!?\n]{0,40}\binbre\w*"
            r"|\binbraak (?:bezig|aan de gang|gaande)\b|\binbrekers? (?:zijn |is )?(?:nu )?bezig"
            r"|\bcambriol\w* en cours\b|\bcambrioleurs?\b|\bburglars?\b|\bbreaking in\b"
        ),
    ),
    Rule(
        "threat",
        SAFETY,
        (
            r"\bagressie (?:tegen|naar)\b|\b(?:is|wordt|werd|zijn|worden) (?:\w+ )?agressief\b"
            r"|\bagressieve (?:man|vrouw|jongeren|jongens|persoon|klant|buurman|bezoeker|groep)\b"
            r"|\bbedreig(?:t|d|en|ing|ingen)\b|\bdreigt (?:met|me|mij|ons|hem|haar)\b"
            r"|\bme menace\w*|\bmenacant\b|\bagressif\b"
            r"|\bthreaten\w*|\baggressive (?:man|woman|person|customer|neighbour)\b"
        ),
        # Aggressive gulls, swans and dogs are a nuisance for the animal team.
        cancel=(r"\b(?:meeuw|zwaan|zwanen|gans|ganzen|hond|honden|reiger|kraai|dier)\w*"),
    ),
    Rule(
        "crisis",
        CRISIS,
        (
            r"\bevacu\w*|\bexplosie\b(?! ?gevaar)|\bexplosion\b|\bontploffing\b(?! ?gevaar)"
            r"|\bontploft\b(?! (?:met|van))|\bbomalarm\b|\bbommelding\b|\bbom gevonden\b"
            r"|\bgifwolk\b|\bgiftige (?:rook|damp|wolk)|\bchemisch lek\b|\bterreuraanslag\b"
            r"|\baanslag gepleegd\b|\bnl-alert\b|\bbe-alert\b|\bbomb threat\b"
        ),
        cancel=(r"\bvuurwerk\w*|\bm-?80\b|\bcobra\b|\bknallen\b"),
    ),
    Rule(
        "self_harm",
        SELF_HARM,
        (
            r"\bzelfmoord(?:gedachten|gedachte|poging|neigingen)?\b|\bsuicid(?:e|aal|ale|al)\b"
            r"|\bik wil (?:niet meer leven|dood|er niet meer zijn|niet meer verder)\b"
            r"|\bik (?:maak|zal|ga) er (?:\w+ ){0,2}een einde aan\b|\bmezelf (?:van kant|iets aan)"
            r"|\bmijn leven (?:beeindigen|beindigen)\b|\bik kan niet meer leven\b"
            r"|\bik hang me op\b|\bme suicider\b|\bje veux mourir\b|\bje ne veux plus vivre\b"
            r"|\b(?:je vais|je veux) en finir\b(?! avec (?!la vie|tout))"
            r"|\bmettre fin a mes jours\b|\bkill myself\b|\bend my life\b|\bwant to die\b"
            r"|\bdon't want to live\b|\bend it all\b|\bno reason to live\b"
        ),
        past_can_cancel=False,
    ),
)

# Context that cancels a cue in the same sentence.
PAST = re.compile(
    r"\b(?:vorige|verleden|afgelopen) (?:week|maand|jaar|zomer|winter|nacht|weekend|keer)\b"
    r"|\b(?:gisteren|eergisteren|gisteravond|gisternacht|gistermiddag|gistermorgen"
    r"|van het weekend|vorig jaar|toen|destijds|jaren geleden|weken geleden|werd|werden"
    r"|sinds (?:de|die|het)|(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
    r"(?:avond|nacht|middag|ochtend|morgen)?"
    r"|maanden geleden|was er|geblust|gedoofd|onder controle|opgelost|hersteld"
    r"|la semaine derniere|le mois dernier|l'an dernier|last (?:week|month|year)|yesterday"
    r"|was put out)\b"
)
# …unless it is still going on.
STILL = re.compile(
    r"\b(?:nu|momenteel|op dit moment|zojuist|net|bezig|still|now|en ce moment"
    r"|toujours|maintenant)\b"
)
NEGATION = re.compile(
    r"\b(?:geen|niet|niks|niets|niemand|zonder|bijna|bijkans|no|not|without|nearly|almost"
    r"|aucun|aucune|pas de|sans|failli)\b[^.!?\n]{0,12}$"
)
HYPOTHETICAL = re.compile(
    r"\b(?:hoe meld|wat moet ik doen als|wat te doen bij|voor de zekerheid|niks aan de hand"
    r"|niets aan de hand|voordat|voor er|wachten op|vraagt om|kans op|kans tot|kans dat|risico"
    r"|gevaar op"
    r"|voorkom\w*|preventie|oefening|opendeurdag|open dag|opendeur|cursus|vorming|infoavond"
    r"|informatie over|info over|what to do if|how do i report|en cas d)"
)
SELF_HARM_INFO = re.compile(
    r"\b(?:preventie|cursus|vorming|sessie\w*|infoavond|lezing|vrijwilliger\w*|campagne"
    r"|week van|prevention|benevole|volunteer\w*)\b"
)
JOKE = re.compile(r"\b(?:haha\w*|hihi\w*|lol|grapje|mdr|just kidding|jk)\b|😂|🤣|😅|😜|;-?\)")
LIGHTS = re.compile(r"\b(?:\w*verlichting|\w*lamp\w*|lantaarn\w*|lichtmast\w*|licht\w*)\b")
JOKE_SENSITIVE = {"fire", "crisis", "violence", "threat"}


def _sentence(folded: str, start: int, end: int) -> tuple[int, int]:
    left = max(folded.rfind(mark, 0, start) for mark in ".!?\n") + 1
    rights = [i for i in (folded.find(mark, end) for mark in ".!?\n") if i != -1]
    return left, min(rights, default=len(folded))


_INDEX: Final = PhraseIndex([(number, rule.pattern) for number, rule in enumerate(RULES)])
_CANCELS: Final = {rule.name: re.compile(rule.cancel) for rule in RULES if rule.cancel is not None}


def _counts(rule: Rule, folded: str, start: int, end: int, joking: bool) -> bool:
    left, right = _sentence(folded, start, end)
    sentence = folded[left:right]
    if rule.name == "self_harm":
        return not SELF_HARM_INFO.search(sentence)
    if NEGATION.search(folded, left, start):
        return False
    if HYPOTHETICAL.search(sentence):
        return False
    if rule.name == "fire" and LIGHTS.search(sentence):
        return False  # a lamp that "brandt" (burns) is lit, not on fire
    if joking and rule.name in JOKE_SENSITIVE:
        return False
    if rule.past_can_cancel and PAST.search(sentence):
        return bool(STILL.search(sentence))
    return True


def assess(text: str) -> UrgencyResult:
    """Whether the message is urgent, which rules fired, and the helpline hint."""
    folded = fold(text)
    joking = bool(JOKE.search(folded))
    fired: dict[int, str] = {}
    for hit in _INDEX.hits(folded):
        rule = RULES[hit.label]
        if hit.label in fired:
            continue
        cancel = _CANCELS.get(rule.name)
        if cancel is not None and cancel.search(folded):
            continue
        if _counts(rule, folded, hit.start, hit.end, joking):
            fired[hit.label] = text[hit.start : hit.end].strip()
    reasons = [RULES[number].name for number in sorted(fired)]
    cues = [fired[number] for number in sorted(fired)]
    return UrgencyResult(
        urgent=bool(reasons),
        reasons=tuple(reasons),
        cues=tuple(cues),
        helpline=HELPLINE if "self_harm" in reasons else "",
    )


def is_urgent(text: str) -> bool:
    return assess(text).urgent
