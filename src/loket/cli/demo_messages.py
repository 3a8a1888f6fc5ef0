"""Citizen messages for the demo simulator (`loket demo simulate`).

Written for Loket's demo: the places, streets, people and numbers are fictional. Most messages
are Dutch (some in Flemish tussentaal), some French and English. Each one says what it is meant
to be (question, complaint, report…) so the demo shows the triage at work; the triage is free
to disagree, which is itself worth showing.

Placeholders, filled in by the simulator for each event: {plaats} the municipality (or
"Vlaanderen"), {straat} a street, {nr} a house number, {rrn} a made-up rijksregisternummer with
a valid check number, {tel} a made-up phone number.

A `thread` is the title of a post: public comments with the same thread land under one post
of one page, and several ask the same thing, so the inbox groups them into one case.
`follow_ups` are the same citizen's later messages in the same private conversation.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stdnum.be import nn

from loket.channels.contracts import Visibility
from loket.triage.contracts import MessageType


class Scope(StrEnum):
    LOCAL = "local"  # for a municipality
    FLEMISH = "flemish"  # for the Flemish government


@dataclass(frozen=True)
class DemoMessage:
    text: str
    language: str  # nl, fr or en
    intended_type: MessageType
    visibility: Visibility
    scope: Scope = Scope.LOCAL
    thread: str = ""  # post title: public comments sharing one post
    follow_ups: tuple[str, ...] = ()  # later messages of the same citizen, same private thread
    urgent: bool = False


PLACEHOLDERS = ("{plaats}", "{straat}", "{nr}", "{rrn}", "{tel}")

Q = MessageType.QUESTION
C = MessageType.COMPLAINT
R = MessageType.REPORT
K = MessageType.COMPLIMENT
O = MessageType.OPINION  # noqa: E741
S = MessageType.SPAM_ABUSE
X = MessageType.OTHER
PUB = Visibility.PUBLIC
PRIV = Visibility.PRIVATE
L = Scope.LOCAL
F = Scope.FLEMISH

# Posts that draw many comments.
AFVALKALENDER = "Nieuwe afvalkalender 2027"
CIRCULATIEPLAN = "Nieuw circulatieplan voor het centrum: dit verandert er"
PARK = "Zo ziet het vernieuwde park in het centrum eruit"
ZWEMBAD = "Zwembad tijdelijk gesloten voor renovatie"
WEGENWERKEN = "Wegenwerken in de Stationsstraat starten maandag"
GROEIPAKKET = "Groeipakket: wat verandert er in 2027?"
VERBOUWPREMIE = "Mijn VerbouwPremie: nieuwe voorwaarden vanaf 1 januari"
OPENBAAR_VERVOER = "Openbaar vervoer in jouw regio: geef je mening"

# Posts that collect the odd comment that is not about the post at all (as citizens do).
GENERAL_POSTS: dict[Scope, tuple[str, ...]] = {
    L: (
        "Wat staat er deze week op de agenda in {plaats}?",
        "Terugblik op de gemeenteraad van maandag",
        "Onze diensten zijn gesloten op 11 juli",
        "Speelpleinwerking zoekt monitoren voor de zomer",
        "Kom naar de nieuwjaarsreceptie op het marktplein",
    ),
    F: (
        "Zo vind je snel je weg op Vlaanderen.be",
        "Vijf tips om je energiefactuur te verlagen",
        "Het Contactcenter 1700 is nu ook via chat bereikbaar",
        "Vlaanderen viert 11 juli",
    ),
}

STREETS = (
    "Kerkstraat",
    "Stationsstraat",
    "Molenstraat",
    "Schoolstraat",
    "Dorpsstraat",
    "Beekstraat",
    "Lindenlaan",
    "Kapelstraat",
    "Veldstraat",
    "Populierenlaan",
    "Heirweg",
    "Meersstraat",
    "Kouterstraat",
    "Bremstraat",
)

MESSAGES: tuple[DemoMessage, ...] = (
    # --- municipalities, Dutch: questions ---------------------------------------------------
    DemoMessage("Wanneer wordt het grof vuil opgehaald in de {straat}?", "nl", Q, PUB),
    DemoMessage(
        "Hoe vraag ik een bewonerskaart aan om te parkeren? Ik ben pas verhuisd naar de {straat}.",
        "nl",
        Q,
        PRIV,
        follow_ups=(
            "Moet ik daarvoor het inschrijvingsbewijs van mijn auto meebrengen?",
            "Oké, bedankt! Dan kom ik donderdag langs.",
        ),
    ),
    DemoMessage(
        "Mijn identiteitskaart vervalt volgende maand. Moet ik een afspraak maken of kan ik "
        "gewoon binnenspringen aan het loket?",
        "nl",
        Q,
        PRIV,
        follow_ups=("En moet ik zelf een pasfoto meebrengen?",),
    ),
    DemoMessage("Tot hoe laat is de bibliotheek open op zaterdag?", "nl", Q, PUB),
    DemoMessage(
        "Kan ik mijn boeken 's avonds ergens terugbrengen? Vroeger stond er een inleverbus "
        "aan de bib.",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage("Is het zwembad open tijdens de kerstvakantie?", "nl", Q, PUB),
    DemoMessage(
        "Heb ik een omgevingsvergunning nodig voor een tuinhuis van 12 m²?",
        "nl",
        Q,
        PRIV,
        follow_ups=("En als het tegen de perceelsgrens met de buren komt te staan?",),
    ),
    DemoMessage(
        "Waar kan ik mijn oude frigo kwijt? Mag die gewoon mee met het grof vuil?", "nl", Q, PUB
    ),
    DemoMessage("Hoeveel kost een nieuw rijbewijs tegenwoordig?", "nl", Q, PRIV),
    DemoMessage("Is het recyclagepark open op paasmaandag?", "nl", Q, PUB),
    DemoMessage(
        "Geeft de gemeente nog een premie voor een regenwaterput? Waar vraag ik die aan?",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage(
        "Hoe lang duren de werken in de {straat} nog? Ik kan al een week mijn oprit niet op.",
        "nl",
        Q,
        PUB,
    ),
    DemoMessage(
        "We willen een buurtfeest houden op 21 juni. Moeten we de straat laten afsluiten en "
        "bij wie vragen we dat aan?",
        "nl",
        Q,
        PRIV,
        follow_ups=("Hoeveel weken op voorhand moet die aanvraag binnen zijn?",),
    ),
    DemoMessage(
        "Wa moet ik doen om mijn hond te laten registreren? Of is da nie meer nodig?",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage("Waar vind ik de agenda van de volgende gemeenteraad?", "nl", Q, PUB),
    DemoMessage("Mag ik mijn PMD-zakken ook op het recyclagepark afgeven?", "nl", Q, PUB),
    DemoMessage("Kan ik een uittreksel uit het strafregister online aanvragen?", "nl", Q, PRIV),
    DemoMessage("Vanaf welke leeftijd mogen kinderen alleen gaan zwemmen?", "nl", Q, PUB),
    DemoMessage(
        "Hoe schrijf ik mijn zoon in voor de speelpleinwerking deze zomer? De website zegt "
        "'volzet' maar misschien is er een wachtlijst?",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage(
        "Waarom staan er sinds gisteren verbodsborden om te parkeren voor mijn deur? Hoe lang "
        "blijven die staan?",
        "nl",
        Q,
        PUB,
    ),
    DemoMessage("Allez, wanneer gaat die nieuwe sporthal nu eindelijk open?", "nl", Q, PUB),
    DemoMessage(
        "Ik ben verhuisd binnen {plaats}. Komt de wijkagent nog langs of moet ik zelf iets doen?",
        "nl",
        Q,
        PRIV,
        follow_ups=("Na twee weken nog niemand gezien, is dat normaal?",),
    ),
    DemoMessage(
        "Krijg ik van de gemeente een premie voor een groendak of voor zonnepanelen?",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage("Kunnen we bij jullie een zonnebloemzakje afhalen voor de school?", "nl", Q, PUB),
    DemoMessage(
        "Hoe kan ik een gratis afvalzak aanvragen voor incontinentiemateriaal van mijn moeder?",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage(
        "Mijn eID is gestolen uit mijn auto. Wat moet ik eerst doen, naar de politie of naar "
        "het gemeentehuis?",
        "nl",
        Q,
        PRIV,
        follow_ups=("Ik heb het pv. Kan ik morgen zonder afspraak komen?",),
    ),
    DemoMessage(
        "Is er ergens een lijst van de openingsuren van alle diensten tijdens de feestdagen?",
        "nl",
        Q,
        PUB,
    ),
    DemoMessage(
        "Goeiedag, weet iemand of de markt deze week doorgaat met de kermis op het plein?",
        "nl",
        Q,
        PUB,
    ),
    DemoMessage(
        "Hoe lang duurt het gemiddeld voor een bouwvergunning voor een verbouwing? We willen "
        "in september beginnen.",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage(
        "Mag ik een container voor bouwafval op de openbare weg zetten? Voor hoe lang?",
        "nl",
        Q,
        PRIV,
    ),
    # --- municipalities, Dutch: complaints --------------------------------------------------
    DemoMessage(
        "Al drie weken wacht ik op een antwoord over mijn parkeerkaart. Aan de telefoon neemt "
        "niemand op. Belachelijk.",
        "nl",
        C,
        PRIV,
        follow_ups=("Nog steeds niks gehoord. Moet ik echt zelf naar het stadhuis komen?",),
    ),
    DemoMessage(
        "De vuilniswagen is deze week weer niet gepasseerd in de {straat}. Dat is al de tweede "
        "keer deze maand!",
        "nl",
        C,
        PUB,
    ),
    DemoMessage(
        "Schandalig dat het zwembad zonder verwittiging dicht was. Wij stonden daar met drie "
        "kinderen voor een gesloten deur.",
        "nl",
        C,
        PUB,
    ),
    DemoMessage(
        "Amai, drie kwartier aanschuiven aan het loket voor één attest. Kan da nie wat vlotter?",
        "nl",
        C,
        PUB,
    ),
    DemoMessage(
        "Jullie website werkt al de hele dag niet, ik kan mijn afspraak niet boeken.",
        "nl",
        C,
        PRIV,
    ),
    DemoMessage(
        "Onaanvaardbaar hoe hard er gereden wordt in de schoolstraat. Waar blijven de controles?",
        "nl",
        C,
        PUB,
    ),
    DemoMessage(
        "Mijn aanvraag voor een bouwvergunning ligt al vier maanden stil en niemand kan me "
        "zeggen waarom.",
        "nl",
        C,
        PRIV,
        follow_ups=(
            "Dossiernummer staat in mijn vorige bericht niet, sorry: het is OMV-2027-0815.",
        ),
    ),
    DemoMessage(
        "Elke dag lawaai van de werf naast ons vanaf zes uur 's morgens. Is dat wel toegelaten?",
        "nl",
        C,
        PRIV,
    ),
    DemoMessage(
        "Den bus stopt hier nie meer sinds de werken en niemand heeft ons iets laten weten. "
        "Heel ambetant voor de oudere mensen in de wijk.",
        "nl",
        C,
        PUB,
    ),
    DemoMessage(
        "Al weken ligt er een hoop zand op het voetpad van de werf. Met de kinderwagen moet ik "
        "op straat lopen.",
        "nl",
        C,
        PUB,
    ),
    DemoMessage(
        "Ik heb drie keer gebeld over de factuur van de kinderopvang en nog altijd geen "
        "antwoord. Slechte service.",
        "nl",
        C,
        PRIV,
    ),
    DemoMessage(
        "Waarom moet ik voor elk papiertje een afspraak maken? Vroeger kon ge gewoon binnenlopen.",
        "nl",
        C,
        PUB,
    ),
    # --- municipalities, Dutch: reports about public space ----------------------------------
    DemoMessage(
        "De straatlamp voor nummer {nr} in de {straat} is kapot. Het is daar 's avonds stikdonker.",
        "nl",
        R,
        PRIV,
        follow_ups=("Ze brandt nog altijd niet, ter info.",),
    ),
    DemoMessage(
        "Diepe put in de weg op het kruispunt van de {straat} met de Molenweg. Gevaarlijk voor "
        "fietsers!",
        "nl",
        R,
        PUB,
    ),
    DemoMessage(
        "Weer een sluikstort aan de glasbollen op het Dorpsplein: twee matrassen en een hoop "
        "vuilniszakken.",
        "nl",
        R,
        PUB,
    ),
    DemoMessage(
        "Na de regen van vannacht staat de {straat} helemaal blank. De riolering kan het niet "
        "slikken, het water staat tot aan de voordeur.",
        "nl",
        R,
        PUB,
    ),
    DemoMessage(
        "Door de storm is er een boom omgevallen over het fietspad langs de vaart. Je kan er "
        "niet meer door.",
        "nl",
        R,
        PUB,
    ),
    DemoMessage(
        "Het verkeerslicht aan de school staat sinds vanmorgen op knipperend oranje.",
        "nl",
        R,
        PRIV,
    ),
    DemoMessage(
        "Overal zwerfvuil in het park na het festival van het weekend. Wie ruimt dat op?",
        "nl",
        R,
        PUB,
    ),
    DemoMessage(
        "De schommel in de speeltuin aan de {straat} is stuk, er steekt een scherpe bout uit.",
        "nl",
        R,
        PRIV,
    ),
    DemoMessage(
        "Er ligt een omvergereden verkeersbord op het fietspad aan de rotonde.", "nl", R, PUB
    ),
    DemoMessage(
        "De rioolput voor mijn deur in de {straat} stinkt al een paar dagen verschrikkelijk.",
        "nl",
        R,
        PRIV,
    ),
    DemoMessage("Graffiti op de zijgevel van de bibliotheek, net gezien.", "nl", R, PUB),
    DemoMessage(
        "De voetpaden in de {straat} liggen er al maanden bij met losse tegels. Mijn moeder is "
        "er bijna gevallen.",
        "nl",
        R,
        PRIV,
    ),
    DemoMessage(
        "Er hangt een tak half afgebroken boven de speelplaats van de gemeenteschool.",
        "nl",
        R,
        PRIV,
    ),
    DemoMessage(
        "Den afvalbak aan de bushalte puilt al een week uit, 't waait overal rond.",
        "nl",
        R,
        PUB,
    ),
    DemoMessage(
        "Een dood dier op de rijbaan van de Heirweg, ter hoogte van de bakker.", "nl", R, PRIV
    ),
    # --- municipalities, Dutch: compliments -------------------------------------------------
    DemoMessage(
        "Dikke merci aan de mannen van de groendienst, het park ziet er prachtig uit!",
        "nl",
        K,
        PUB,
    ),
    DemoMessage(
        "Bedankt voor de snelle hulp aan het loket vanmorgen, super vriendelijk geholpen.",
        "nl",
        K,
        PRIV,
    ),
    DemoMessage(
        "Proficiat met de vernieuwde bib, echt een plezante plek om te studeren.", "nl", K, PUB
    ),
    DemoMessage(
        "Goed gedaan met de kerstmarkt dit jaar, gezellig en goed georganiseerd!", "nl", K, PUB
    ),
    DemoMessage(
        "Chapeau voor de technische dienst die zaterdagochtend nog kwam strooien tegen de "
        "gladheid.",
        "nl",
        K,
        PUB,
    ),
    DemoMessage("Top dat de straatlamp zo snel hersteld is, dank u!", "nl", K, PRIV),
    DemoMessage(
        "Heel content over de nieuwe fietsstraat, ik fiets er nu elke dag veilig naar het werk.",
        "nl",
        K,
        PUB,
    ),
    # --- municipalities, Dutch: opinions ----------------------------------------------------
    DemoMessage(
        "De gemeente zou beter eerst de bestaande fietspaden herstellen in plaats van nieuwe "
        "projecten te beginnen.",
        "nl",
        O,
        PUB,
    ),
    DemoMessage(
        "Ik ben voor een autovrije zondag in het centrum, elke eerste zondag van de maand.",
        "nl",
        O,
        PUB,
    ),
    DemoMessage(
        "Weer parkeerplaatsen weg. Voor oudere mensen is de auto soms de enige optie, denk daar "
        "ook eens aan.",
        "nl",
        O,
        PUB,
    ),
    DemoMessage(
        "Volgens mij moeten er meer zitbanken komen langs de wandelroutes, voor wie slecht te "
        "been is.",
        "nl",
        O,
        PUB,
    ),
    # --- municipalities: public threads that group ------------------------------------------
    DemoMessage(
        "Wanneer wordt het grof vuil opgehaald in 2027?", "nl", Q, PUB, thread=AFVALKALENDER
    ),
    DemoMessage(
        "Weet iemand wanneer het grof vuil opgehaald wordt in 2027?",
        "nl",
        Q,
        PUB,
        thread=AFVALKALENDER,
    ),
    DemoMessage(
        "Grof vuil: wanneer wordt dat opgehaald in 2027?", "nl", Q, PUB, thread=AFVALKALENDER
    ),
    DemoMessage(
        "Waarom staat onze straat niet meer in de kalender? Wij wonen in de Populierenlaan.",
        "nl",
        Q,
        PUB,
        thread=AFVALKALENDER,
    ),
    DemoMessage(
        "Kan ik de afvalkalender ook op papier krijgen? Mijn vader heeft geen internet.",
        "nl",
        Q,
        PUB,
        thread=AFVALKALENDER,
    ),
    DemoMessage(
        "PMD nog maar om de twee weken? Veel te weinig voor een gezin met vier kinderen, echt "
        "belachelijk.",
        "nl",
        C,
        PUB,
        thread=AFVALKALENDER,
    ),
    DemoMessage(
        "Is there an English version of the waste calendar?", "en", Q, PUB, thread=AFVALKALENDER
    ),
    DemoMessage(
        "Le calendrier des déchets existe-t-il aussi en français ?",
        "fr",
        Q,
        PUB,
        thread=AFVALKALENDER,
    ),
    DemoMessage(
        "Ik ben tegen het nieuwe circulatieplan. Ik moet nu drie kilometer omrijden om naar "
        "mijn werk te gaan.",
        "nl",
        O,
        PUB,
        thread=CIRCULATIEPLAN,
    ),
    DemoMessage(
        "Eindelijk! Ik vind het circulatieplan een goede zaak, mijn kinderen kunnen nu veilig "
        "naar school fietsen.",
        "nl",
        O,
        PUB,
        thread=CIRCULATIEPLAN,
    ),
    DemoMessage(
        "Volgens mij gaan de handelaars in het centrum hier zwaar onder lijden. Wie komt er nog "
        "winkelen?",
        "nl",
        O,
        PUB,
        thread=CIRCULATIEPLAN,
    ),
    DemoMessage(
        "Goed plan, maar zorg dan wel voor genoeg fietsenstallingen aan het station.",
        "nl",
        O,
        PUB,
        thread=CIRCULATIEPLAN,
    ),
    DemoMessage(
        "Zal de Kerkstraat nog bereikbaar zijn met de auto voor bewoners?",
        "nl",
        Q,
        PUB,
        thread=CIRCULATIEPLAN,
    ),
    DemoMessage(
        "Weeral een plan dat in een kantoor bedacht is. Niemand heeft ons iets gevraagd.",
        "nl",
        O,
        PUB,
        thread=CIRCULATIEPLAN,
    ),
    DemoMessage(
        "À mon avis, ce nouveau plan de circulation va surtout déplacer les embouteillages "
        "vers les quartiers.",
        "fr",
        O,
        PUB,
        thread=CIRCULATIEPLAN,
    ),
    DemoMessage(
        "In my opinion the new circulation plan is a big step forward for cyclists.",
        "en",
        O,
        PUB,
        thread=CIRCULATIEPLAN,
    ),
    DemoMessage(
        "Ik vind het jammer dat de grote kastanjebomen moeten wijken voor het nieuwe park.",
        "nl",
        O,
        PUB,
        thread=PARK,
    ),
    DemoMessage("Mooi ontwerp, maar ik mis een omheinde hondenweide.", "nl", O, PUB, thread=PARK),
    DemoMessage(
        "Meer groen in het centrum, daar ben ik helemaal voor. Goed bezig!",
        "nl",
        O,
        PUB,
        thread=PARK,
    ),
    DemoMessage("Komt er ook een speeltuin voor de kleinsten?", "nl", Q, PUB, thread=PARK),
    DemoMessage("Are dogs allowed in the new park?", "en", Q, PUB, thread=PARK),
    DemoMessage("Tot wanneer is het zwembad gesloten?", "nl", Q, PUB, thread=ZWEMBAD),
    DemoMessage("Tot wanneer blijft het zwembad gesloten?", "nl", Q, PUB, thread=ZWEMBAD),
    DemoMessage("Weet iemand tot wanneer het zwembad gesloten is?", "nl", Q, PUB, thread=ZWEMBAD),
    DemoMessage("Waar kunnen de scholen intussen gaan zwemmen?", "nl", Q, PUB, thread=ZWEMBAD),
    DemoMessage(
        "Alweer dicht... Dat zwembad is meer gesloten dan open, echt slecht beheerd.",
        "nl",
        C,
        PUB,
        thread=ZWEMBAD,
    ),
    DemoMessage("Blijft de bakker bereikbaar tijdens de werken?", "nl", Q, PUB, thread=WEGENWERKEN),
    DemoMessage("Hoe lang gaan die werken duren?", "nl", Q, PUB, thread=WEGENWERKEN),
    DemoMessage("Hoe lang duren de werken?", "nl", Q, PUB, thread=WEGENWERKEN),
    DemoMessage(
        "Kunnen jullie de omleiding beter aangeven? Vanmorgen stond iedereen vast aan de school.",
        "nl",
        C,
        PUB,
        thread=WEGENWERKEN,
    ),
    DemoMessage(
        "Fijn dat de straat eindelijk heraangelegd wordt, ze lag er al jaren slecht bij.",
        "nl",
        K,
        PUB,
        thread=WEGENWERKEN,
    ),
    # --- municipalities, French -------------------------------------------------------------
    DemoMessage("Bonjour, quand passe la collecte des encombrants dans notre rue ?", "fr", Q, PUB),
    DemoMessage(
        "Bonjour, où puis-je demander une carte de stationnement pour riverains ?",
        "fr",
        Q,
        PRIV,
    ),
    DemoMessage(
        "On m'a volé ma carte d'identité. Que dois-je faire ?",
        "fr",
        Q,
        PRIV,
        follow_ups=("Dois-je d'abord passer à la police ?", "Merci pour la réponse rapide."),
    ),
    DemoMessage(
        "Le lampadaire devant le numéro {nr} est en panne depuis une semaine.", "fr", R, PRIV
    ),
    DemoMessage(
        "Il y a un énorme nid-de-poule dans la {straat}, c'est dangereux pour les vélos.",
        "fr",
        R,
        PUB,
    ),
    DemoMessage("Encore des déchets déposés derrière l'église. C'est inadmissible.", "fr", R, PUB),
    DemoMessage(
        "Merci beaucoup pour l'accueil à la maison communale, très aimable !", "fr", K, PUB
    ),
    DemoMessage(
        "Toujours pas de réponse à mon e-mail envoyé il y a trois semaines. C'est scandaleux.",
        "fr",
        C,
        PRIV,
    ),
    DemoMessage("La piscine est-elle ouverte pendant les vacances de Noël ?", "fr", Q, PUB),
    DemoMessage("Pourquoi la bibliothèque est-elle fermée le samedi après-midi ?", "fr", Q, PUB),
    DemoMessage("Où puis-je déposer mes vieux pots de peinture ?", "fr", Q, PRIV),
    DemoMessage(
        "Un arbre est tombé sur la route après la tempête, on ne passe plus.", "fr", R, PUB
    ),
    DemoMessage("Bravo pour le nouveau parc, les enfants adorent !", "fr", K, PUB),
    # --- municipalities, English ------------------------------------------------------------
    DemoMessage(
        "Hi, I just moved to {plaats}. How do I register my new address at the town hall?",
        "en",
        Q,
        PRIV,
        follow_ups=("Do I need to bring my rental contract?", "Thanks, that helps a lot!"),
    ),
    DemoMessage("When is the bulky waste collection in our street?", "en", Q, PUB),
    DemoMessage(
        "There's a huge pothole on the {straat}, I nearly came off my bike this morning.",
        "en",
        R,
        PUB,
    ),
    DemoMessage(
        "The street light in front of our house has been broken for two weeks.", "en", R, PRIV
    ),
    DemoMessage("Thank you for the quick reply yesterday, great job!", "en", K, PRIV),
    DemoMessage(
        "Still no appointment for my residence card after a month. This is unacceptable.",
        "en",
        C,
        PRIV,
    ),
    DemoMessage(
        "Can I keep using my foreign driving licence here or do I have to exchange it?",
        "en",
        Q,
        PRIV,
    ),
    DemoMessage(
        "Someone dumped a pile of rubbish bags next to the recycling bins on the square.",
        "en",
        R,
        PUB,
    ),
    DemoMessage("Is the swimming pool open on Sunday mornings?", "en", Q, PUB),
    DemoMessage(
        "I think the library should stay open longer during the exam period.", "en", O, PUB
    ),
    # --- municipalities: urgent -------------------------------------------------------------
    DemoMessage(
        "Dringend: volgens mij is er een gaslek aan de werf in de {straat}, het ruikt hier "
        "overal naar gas!",
        "nl",
        R,
        PUB,
        urgent=True,
    ),
    DemoMessage(
        "Er is brand in een container naast de sporthal, er komt veel rook naar de huizen.",
        "nl",
        R,
        PRIV,
        urgent=True,
    ),
    DemoMessage(
        "Forte odeur de gaz près de l'école, je crois qu'il y a une fuite de gaz !",
        "fr",
        R,
        PUB,
        urgent=True,
    ),
    # --- municipalities: personal data ------------------------------------------------------
    DemoMessage(
        "Ik heb nog altijd geen nieuwe pincode voor mijn eID gekregen. Kunnen jullie mij "
        "terugbellen op {tel}?",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage(
        "Voor mijn aanvraag bewonerskaart: mijn rijksregisternummer is {rrn}. Is alles nu in orde?",
        "nl",
        Q,
        PRIV,
    ),
    DemoMessage(
        "Please call me back on {tel}, I need help with my address registration.",
        "en",
        Q,
        PRIV,
    ),
    # --- municipalities: spam and abuse (mild, clearly fake) --------------------------------
    DemoMessage(
        "GRATIS iPhone voor de eerste 100 inwoners van {plaats}!!! Klik hier: "
        "gratis-iphone.invalid",
        "nl",
        S,
        PUB,
    ),
    DemoMessage(
        "Verdien 5000 euro per week met crypto vanuit je zetel, stuur me een DM 💰💰",
        "nl",
        S,
        PUB,
    ),
    DemoMessage("Stelletje idioten op dat gemeentehuis, jullie kunnen echt niks.", "nl", S, PUB),
    DemoMessage("Click here to win a free holiday for two: holiday-winner.invalid", "en", S, PUB),
    DemoMessage("Gagnez un iPhone gratuit, cliquez ici !!! iphone-gratuit.invalid", "fr", S, PUB),
    # --- municipalities: other --------------------------------------------------------------
    DemoMessage("@Sofie kijk eens, dit gaat over onze straat.", "nl", X, PUB),
    DemoMessage("Ik heb het formulier gisteren doorgestuurd.", "nl", X, PRIV),
    DemoMessage("👍", "nl", X, PUB),
    DemoMessage("Gedeeld.", "nl", X, PUB),
    # --- the Flemish government -------------------------------------------------------------
    DemoMessage("Wanneer wordt het groeipakket van deze maand uitbetaald?", "nl", Q, PUB, F),
    DemoMessage(
        "Mijn dochter wordt 18. Krijgen we nog groeipakket als ze verder studeert?",
        "nl",
        Q,
        PRIV,
        F,
        follow_ups=("En als ze een studentenjob heeft in de zomer, telt dat mee?",),
    ),
    DemoMessage("Hoe vraag ik de Mijn VerbouwPremie aan voor nieuwe ramen?", "nl", Q, PRIV, F),
    DemoMessage(
        "Ik heb mijn premie voor dakisolatie aangevraagd in september en nog steeds niet "
        "ontvangen. Hoe lang duurt dat nog?",
        "nl",
        C,
        PRIV,
        F,
    ),
    DemoMessage(
        "Waar vind ik mijn EPC-attest terug? We willen ons huis verkopen.", "nl", Q, PRIV, F
    ),
    DemoMessage("Wat zijn de voorwaarden voor een renteloze renovatielening?", "nl", Q, PUB, F),
    DemoMessage(
        "Ik geraak niet binnen in Mijn Burgerprofiel met itsme, ik krijg telkens een "
        "foutmelding. Heel frustrerend.",
        "nl",
        C,
        PRIV,
        F,
    ),
    DemoMessage(
        "Wanneer zijn de wegenwerken op de gewestweg richting {plaats} eindelijk gedaan?",
        "nl",
        Q,
        PUB,
        F,
    ),
    DemoMessage(
        "De verlichting op de oprit van de snelweg is al weken kapot. 's Nachts echt gevaarlijk.",
        "nl",
        R,
        PUB,
        F,
    ),
    DemoMessage(
        "Gat in het fietspad langs de gewestweg, net voor de brug. Mijn band is lek.",
        "nl",
        R,
        PRIV,
        F,
    ),
    DemoMessage(
        "Proficiat met de nieuwe website, ik vond eindelijk meteen wat ik zocht.", "nl", K, PUB, F
    ),
    DemoMessage(
        "Bedankt aan de medewerker van 1700 die me gisteren zo geduldig geholpen heeft.",
        "nl",
        K,
        PRIV,
        F,
    ),
    DemoMessage(
        "Volgens mij is de renovatieplicht niet haalbaar voor gepensioneerden met een klein "
        "pensioen.",
        "nl",
        O,
        PUB,
        F,
    ),
    DemoMessage(
        "Dag, mijn rijksregisternummer is {rrn}. Kunnen jullie nakijken of mijn aanvraag "
        "voor het groeipakket goed is binnengekomen? Bel gerust naar {tel}.",
        "nl",
        Q,
        PRIV,
        F,
    ),
    DemoMessage(
        "Gratis bitcoin voor iedereen die deze pagina volgt, klik hier!!!", "nl", S, PUB, F
    ),
    DemoMessage(
        "Allez, is er nu iemand bij de Vlaamse overheid die mijn mail leest of nie?",
        "nl",
        C,
        PRIV,
        F,
    ),
    DemoMessage(
        "Wanneer wordt het groeipakket uitbetaald in januari?", "nl", Q, PUB, F, thread=GROEIPAKKET
    ),
    DemoMessage(
        "Weet iemand wanneer het groeipakket in januari uitbetaald wordt?",
        "nl",
        Q,
        PUB,
        F,
        thread=GROEIPAKKET,
    ),
    DemoMessage(
        "Verandert er iets aan de schooltoeslag voor het secundair?",
        "nl",
        Q,
        PUB,
        F,
        thread=GROEIPAKKET,
    ),
    DemoMessage(
        "Ik vind het onrechtvaardig dat de zorgtoeslag niet mee stijgt met de prijzen.",
        "nl",
        O,
        PUB,
        F,
        thread=GROEIPAKKET,
    ),
    DemoMessage(
        "Merci voor de duidelijke uitleg, eindelijk snap ik hoe het zit.",
        "nl",
        K,
        PUB,
        F,
        thread=GROEIPAKKET,
    ),
    DemoMessage(
        "Geldt de nieuwe premie ook voor een appartement dat ik verhuur?",
        "nl",
        Q,
        PUB,
        F,
        thread=VERBOUWPREMIE,
    ),
    DemoMessage(
        "Weer nieuwe voorwaarden. Ge moet al een expert zijn om nog te weten waar ge recht op "
        "hebt.",
        "nl",
        C,
        PUB,
        F,
        thread=VERBOUWPREMIE,
    ),
    DemoMessage(
        "Vanaf wanneer kan ik de premie aanvragen onder de nieuwe voorwaarden?",
        "nl",
        Q,
        PUB,
        F,
        thread=VERBOUWPREMIE,
    ),
    DemoMessage(
        "Vanaf wanneer kan ik de nieuwe premie aanvragen?", "nl", Q, PUB, F, thread=VERBOUWPREMIE
    ),
    DemoMessage(
        "Ik vind dat Vlaanderen veel meer moet investeren in bussen op het platteland.",
        "nl",
        O,
        PUB,
        F,
        thread=OPENBAAR_VERVOER,
    ),
    DemoMessage(
        "De belbus is voor ons een ramp: twee uur op voorhand reserveren en dan nog te laat.",
        "nl",
        C,
        PUB,
        F,
        thread=OPENBAAR_VERVOER,
    ),
    DemoMessage(
        "Ik ben voor meer fietssnelwegen tussen de dorpen, dan laat ik mijn auto staan.",
        "nl",
        O,
        PUB,
        F,
        thread=OPENBAAR_VERVOER,
    ),
    DemoMessage(
        "Je pense qu'il faut surtout plus de bus le soir et le week-end.",
        "fr",
        O,
        PUB,
        F,
        thread=OPENBAAR_VERVOER,
    ),
    DemoMessage(
        "Bonjour, je déménage en Flandre avec mes deux enfants. Comment demander le Groeipakket ?",
        "fr",
        Q,
        PRIV,
        F,
        follow_ups=("Faut-il remplir le formulaire en néerlandais ?",),
    ),
    DemoMessage(
        "La prime à la rénovation devrait être beaucoup plus simple à demander.",
        "fr",
        O,
        PUB,
        F,
    ),
    DemoMessage("Bonjour, le site Vlaanderen.be existe-t-il en français ?", "fr", Q, PUB, F),
    DemoMessage(
        "Merci au contact center pour l'aide avec mon dossier, service impeccable.",
        "fr",
        K,
        PRIV,
        F,
    ),
    DemoMessage(
        "How do I apply for the Groeipakket? We are an expat family with two kids.",
        "en",
        Q,
        PRIV,
        F,
        follow_ups=("Is there a form in English, or should I call 1700?",),
    ),
    DemoMessage(
        "Is the energy renovation loan also available for people who rent their home?",
        "en",
        Q,
        PUB,
        F,
    ),
    DemoMessage(
        "Your website keeps logging me out halfway through the form. Terrible experience.",
        "en",
        C,
        PRIV,
        F,
    ),
    DemoMessage(
        "Fire on the hard shoulder of the motorway near the exit, cars are still driving past!",
        "en",
        R,
        PUB,
        F,
        urgent=True,
    ),
    DemoMessage(
        "Ik ruik een sterke gasgeur aan het administratief centrum, is er een gaslek?",
        "nl",
        R,
        PRIV,
        F,
        urgent=True,
    ),
    DemoMessage("Bedankt!", "nl", K, PRIV, F),
    DemoMessage("Zie mijn bericht van gisteren.", "nl", X, PRIV, F),
)

# Replies of another citizen to an earlier public comment (sent with in_reply_to).
REACTIONS: tuple[DemoMessage, ...] = (
    DemoMessage("Hier ook hetzelfde probleem!", "nl", C, PUB),
    DemoMessage("Zelfde bij ons in de straat.", "nl", C, PUB),
    DemoMessage("Moi aussi, même problème chez nous.", "fr", C, PUB),
    DemoMessage("Inderdaad, dat vraag ik me ook af.", "nl", Q, PUB),
    DemoMessage("+1, graag een antwoord hierop.", "nl", Q, PUB),
    DemoMessage("Je me pose la même question.", "fr", Q, PUB),
    DemoMessage("Same here, any update?", "en", Q, PUB),
    DemoMessage("Helemaal akkoord met wat je zegt.", "nl", O, PUB),
    DemoMessage("Da's echt waar, 't is hier juist hetzelfde.", "nl", O, PUB),
    DemoMessage("Niet mee eens, ik vind het net een verbetering.", "nl", O, PUB),
    DemoMessage("Helemaal mee eens, het is echt mooi geworden!", "nl", K, PUB),
    DemoMessage("Tout à fait d'accord, bravo !", "fr", K, PUB),
)

# Fictional citizens; any likeness to a real person is a coincidence of common names.
AUTHORS: dict[str, tuple[str, ...]] = {
    "nl": (
        "Jef Vermeulen",
        "An Peeters",
        "Luc Janssens",
        "Marleen De Smet",
        "Wout Maes",
        "Lotte Claes",
        "Ruben Wouters",
        "Ilse Goossens",
        "Kobe De Wilde",
        "Nele Mertens",
        "Stijn Willems",
        "Femke Jacobs",
        "Bart Van den Broeck",
        "Griet Dewaele",
        "Sander Hermans",
        "Katrien Aerts",
        "Yusuf Demir",
        "Fatima El Amrani",
        "Rita Verhoeven",
        "Jonas Lambrechts",
        "Els Van Damme",
        "Pieter De Backer",
        "Hanne Michiels",
        "Dirk Segers",
        "Joke Van Acker",
        "Tim Verstraete",
        "Ann-Sofie Cools",
        "Mohamed Bouzid",
        "Lieve Desmet",
        "Glenn Huysmans",
        "Sara Vandenberghe",
        "Koen Pauwels",
        "Elke Vervoort",
        "Robbe Geerts",
        "Marijke Smets",
        "Arne Coppens",
    ),
    "fr": (
        "Sophie Dubois",
        "Julien Lambert",
        "Camille Lejeune",
        "Nicolas Renard",
        "Aurélie Simon",
        "Mehdi Benali",
        "Chantal Leroy",
        "Thomas Collard",
        "Nathalie Moreau",
        "Olivier Dupont",
        "Inès Haddad",
        "Marc Delvaux",
    ),
    "en": (
        "Emma Clarke",
        "Liam O'Connor",
        "Priya Natarajan",
        "Tom Becker",
        "Sarah Whitfield",
        "Mateo Rossi",
        "Hannah Schmidt",
        "Daniel Okafor",
        "Chloe Bennett",
        "Lucas Moreno",
    ),
}


def fake_national_number(rng: random.Random) -> str:
    """A made-up rijksregisternummer with a valid check number (born 1950-1999)."""
    born = date(rng.randint(1950, 1999), rng.randint(1, 12), rng.randint(1, 28))
    first_nine = f"{born:%y%m%d}{rng.randint(1, 997):03d}"
    return str(nn.format(f"{first_nine}{97 - int(first_nine) % 97:02d}"))


def fake_phone_number(rng: random.Random) -> str:
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))
    return f"04{rng.choice('6789')}{rng.randint(0, 9)} {pairs}"


def render(text: str, *, place: str, rng: random.Random) -> str:
    """A corpus text with its placeholders filled in."""
    values: dict[str, Callable[[], str]] = {
        "{plaats}": lambda: place,
        "{straat}": lambda: rng.choice(STREETS),
        "{nr}": lambda: str(rng.randint(1, 180)),
        "{rrn}": lambda: fake_national_number(rng),
        "{tel}": lambda: fake_phone_number(rng),
    }
    for placeholder, value in values.items():
        while placeholder in text:
            text = text.replace(placeholder, value(), 1)
    return text
