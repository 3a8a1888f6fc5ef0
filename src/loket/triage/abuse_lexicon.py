"""Loket's own abuse lexicon: words and short phrases per language, written by hand.

Everything is lower case without accents (the detector folds text the same way). A phrase is
a space-separated sequence of positions; a position is one word or alternatives `a|b|c`, and
`~` (or `~N`) allows up to 3 (or N) arbitrary words in between. The categories are explained
where `Lexicon` is defined; `loket.triage.abuse` decides what they mean together.

Nothing here comes from a third-party lexicon: the lists are the project's own, so that they
can be shipped under the project's licence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Categories of a word or phrase.
GROUP = "group"  # a protected group (origin, religion, gender, orientation, disability)
PRONOUN = "pronoun"  # can refer back to a group named earlier ("ze", "die")
YOU = "you"  # second person: the message speaks to someone
FIRST = "first"  # first person: the writer
PERSON = "person"  # a (non-protected) person or group of persons ("burgemeester", "politici")
NEGATOR = "negator"  # negates what is close to it ("niet", "geen", "nooit")
NEGATOR_CLAUSE = "negator_clause"  # negates the whole clause ("niemand", "niets")
HATE = "hate"  # negative emotion towards the object ("haat", "walg van")
DEHUMANISE = "dehumanise"  # vermin, disease, filth: strong enough anywhere near a group
DEROGATE = "derogate"  # strong derogatory adjective or noun
WEAK = "weak"  # derogatory only as a predicate of the group ("X zijn lui")
POSITIVE = "positive"  # derogatory when negated ("niet welkom", "geen respect")
THREAT = "threat"  # violence; a threat with a first person, a modal or as a command
GROUP_VIOLENCE = "group_violence"  # "moeten dood", "opruimen": violent only about a group
EXPEL = "expel"  # "weg", "het land uit": hateful with a group and a modal or command
EXCLUDE = "exclude"  # implicit derogation / exclusion phrases ("geen plaats voor")
MODAL = "modal"  # normative or wishing: "moeten", "zouden", "verdienen", "laten we"
LINK = "link"  # copula-like verbs, plural
LINK_SINGULAR = "link_singular"  # copula-like verbs, singular
GO_BACK = "go_back"  # "ga terug naar je land": xenophobic even without naming a group
PROFANITY = "profanity"  # swearing; abusive only when aimed at someone
SLUR = "slur"  # a slur for a protected group: hate unless reclaimed, quoted or negated
INSULT = "insult"  # an insulting noun: aimed at a person by its meaning
INSULT_WEAK = "insult_weak"  # insulting only when aimed ("je bent een oen", "vuile hoer!")
ANIMAL = "animal"  # an animal as an insult: only when clearly aimed ("je bent een varken")
INSULT_ADJ = "insult_adj"  # insulting adjective, only when aimed at a person
ACCUSE = "accuse"  # "leugenaar", "dief": insulting when said of a person
INSULT_PHRASE = "insult_phrase"  # "hou je bek", "rot op": insults by themselves
THREAT_PHRASE = "threat_phrase"  # "ik weet waar je woont": threats by themselves
REPORT = "report"  # speech about speech: quoting, naming, reporting, condemning
OPINION = "opinion"  # "denken", "vinden": the writer's view, or someone else's
CONDEMN = "condemn"  # counter-speech: "niet oké", "stop met", "schaam je"
RELATIVE = "relative"  # "mensen die", "wie": the predicate is about someone else
VICTIM = "victim"  # the group suffers ("slachtoffer", "worden gediscrimineerd")
PASSIVE = "passive"  # passive or reported event ("werd", "worden")
ENDORSE = "endorse"  # agreement with a quote ("helemaal mee eens")
NEUTRAL = "neutral"  # consumes words that would otherwise mislead ("niets meer dan")
FUNCTION = "function"  # function words: allowed as parts of glued words ("ikhaat")
QUESTION_NEGATION = "question_negation"  # rhetorical "hoe kun je ... niet": not a negation


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Lexicon:
    language: str
    # Single words per category; a word may be in several.
    words: dict[str, frozenset[str]]
    # Phrases per category.
    phrases: dict[str, tuple[str, ...]]
    # Protected groups: phrase → the name shown as the target.
    groups: dict[str, str]
    # Words that are a group only after one of their determiners (two words joined by "_"):
    # word → (determiners, group name). "een zwarte" is a person; "zwarte" alone a colour.
    bare_groups: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    # Slurs that are also ordinary words ("flikker het in het water"): only as a noun.
    ambiguous_slurs: frozenset[str] = field(default_factory=frozenset)
    # Words before a noun: "een", "die", "vuile" (for ambiguous slurs and insults).
    noun_markers: frozenset[str] = field(default_factory=frozenset)
    # Which slur points at which group.
    slur_targets: dict[str, str] = field(default_factory=dict)
    # Words that end a clause when a subject follows ("en ze", "maar ik").
    coordinators: frozenset[str] = field(default_factory=frozenset)
    # Diminutive and other endings that never start a word of their own in a glued token.
    suffixes: frozenset[str] = field(default_factory=frozenset)
    # Very common words: never glued together into a lexicon word or split off one, never
    # the telling word of a phrase.
    common: frozenset[str] = field(default_factory=frozenset)
    # Words in a group's name that say little on their own ("mensen met een beperking").
    generic: frozenset[str] = field(default_factory=frozenset)
    # Whether a dropped or swapped letter is read through: only where the real words one
    # letter away from the lexicon are known (REAL_WORDS).
    fuzzy: bool = True
    # Words that open a subordinate clause: a negation after one is not about what came
    # before it.
    subordinators: frozenset[str] = field(default_factory=frozenset)
    # Words that may be glued to a lexicon word ("ikhaat", "moslimszijn").
    glue: frozenset[str] = field(default_factory=frozenset)
    # Relative pronouns and plural endings: "bedrijven die …" is about the bedrijven.
    relatives: frozenset[str] = field(default_factory=frozenset)
    plural_endings: tuple[str, ...] = ()
    # The writer as an object ("noem me ouderwets").
    me: frozenset[str] = field(default_factory=frozenset)
    # Third persons whose opinion is reported ("hij denkt dat …").
    others: frozenset[str] = field(default_factory=frozenset)
    # Objects of a threat besides "you" ("ik maak hem af").
    objects: frozenset[str] = field(default_factory=frozenset)
    # Words for a bunch of people before an insult ("stelletje idioten").
    collectives: frozenset[str] = field(default_factory=frozenset)
    # The group that "ga terug naar je land" is aimed at.
    go_back_target: str = ""


def _groups(spec: dict[str, str]) -> dict[str, str]:
    """`{"moslims moslim islamieten": "moslims"}` → each phrase (`_` joins words) → name."""
    result = {}
    for phrases, name in spec.items():
        for phrase in phrases.split():
            result[phrase.replace("_", " ")] = name
    return result


NL = Lexicon(
    language="nl",
    groups=_groups(
        {
            "moslims moslim moslima moslimas moslima's islamieten islamiet moslimvrouwen "
            "moslimmannen moslimjongeren moslimgemeenschap islamitische_mensen "
            "islamitische_gemeenschap islamitische_vrouwen": "moslims",
            "joden jood joodse_mensen joodse_gemeenschap joodse_inwoners joodse_families "
            "joodse_kinderen joodse_buren joodse_volk": "Joden",
            "christenen christen katholieken hindoes hindoe sikhs boeddhisten": "religie",
            "zwarten zwarte_mensen zwarte_personen zwarte_mannen zwarte_vrouwen "
            "zwarte_jongeren zwarte_jongens zwarte_meisjes zwarte_kinderen zwarte_gemeenschap "
            "zwarte_families zwarte_buren zwarte_inwoners zwarte_man zwarte_vrouw zwarte_persoon "
            "zwart_persoon zwarte_medemens "
            "donkere_mensen gekleurde_mensen mensen_van_kleur afrikanen afrikaan "
            "surinamers antillianen congolezen": "zwarte mensen",
            "arabieren arabier aziaten aziaat chinezen marokkanen marokkaan turken turk "
            "syriers syrier afghanen afghaan eritreeers somaliers roemenen roemeen bulgaren "
            "polen roma zigeuners zigeuner woonwagenbewoners allochtonen allochtoon "
            "buitenlanders buitenlander vreemdelingen vreemdeling "
            "mensen_met_een_migratieachtergrond mensen_van_buitenlandse_afkomst": "herkomst",
            "migranten migrant immigranten immigrant transmigranten": "immigranten",
            "vluchtelingen vluchteling asielzoekers asielzoeker nieuwkomers nieuwkomer "
            "gelukzoekers gelukzoeker illegalen mensen_zonder_papieren": "vluchtelingen",
            "vrouwen": "vrouwen",
            "homo's homos homo homoseksuelen homoseksueel homofielen holebi's holebis holebi "
            "lesbiennes lesbienne lesbische_vrouwen lesbische_koppels biseksuelen biseksueel "
            "queers lhbti'ers lhbtiers lgbt'ers lgbters lhbtiq'ers lgbtq'ers homomannen "
            "homostellen homokoppels holebigemeenschap homogemeenschap homoseksuele_mannen "
            "homoseksuele_vrouwen homoseksuele_man homoseksuele_mensen": "holebi's",
            "transpersonen transpersoon transgenders transgender transvrouwen transvrouw "
            "transmannen transman transmensen transseksuelen transseksueel travestieten "
            "trans_personen trans_mensen trans_vrouwen trans_mannen trans_vrouw trans_man "
            "trans_persoon trans_jongeren trans_kinderen transgender_personen transgender_persoon "
            "transgender_mensen non-binaire_personen "
            "non-binaire_mensen": "trans personen",
            "moskee moskeeen": "moslims",
            "synagoge synagogen": "Joden",
            "gehandicapten gehandicapte mindervaliden mindervalide invaliden "
            "rolstoelgebruikers doven blinden autisten autist "
            "mensen_met_een_beperking mensen_met_een_handicap personen_met_een_beperking "
            "personen_met_een_handicap mensen_met_autisme mensen_met_down "
            "mensen_met_het_syndroom_van_down verstandelijk_gehandicapten "
            "mentaal_gehandicapten geestelijk_gehandicapten gehandicapte_mensen "
            "gehandicapte_personen persoon_met_een_handicap persoon_met_een_beperking "
            "iemand_met_een_handicap iemand_met_een_beperking": "mensen met een beperking",
        }
    ),
    # With a determiner only: "een zwarte", "elke vrouw"; otherwise too often a colour or
    # one particular person.
    bare_groups={
        "zwarte": (words("een die deze elke iedere zo'n geen de alle enkele"), "zwarte mensen"),
        "vrouw": (
            words("elke iedere zo'n typisch typisch_een voor_een als_een geen_enkele"),
            "vrouwen",
        ),
    },
    ambiguous_slurs=words("flikker makak mongool spast"),
    noun_markers=words(
        "een die deze de elke zo'n jij je ge gij vuile vieze smerige stomme domme kut kanker "
        "kolere tering achterlijke gore lelijke als"
    ),
    slur_targets=_groups(
        {
            "neger negers negerin nikker nikkers zwartjoekel zwartjoekels roetmop roetmoppen "
            "bosneger bosnegers makak makakken apenneger bruinjoekel": "zwarte mensen",
            "zandneger zandnegers kutmarokkaan kutmarokkanen kankermarokkaan "
            "kankermarokkanen kankerturk kankerturken tapijtkruiper tapijtkruipers "
            "geitenneuker geitenneukers kameelneuker kameelneukers spleetoog spleetogen "
            "bougnoule bougnoules": "herkomst",
            "smous smousen kankerjood kankerjoden kutjood kutjoden": "Joden",
            "flikker flikkers flikkertje reetridder reetridders bruinwerker bruinwerkers "
            "anaalridder kontneuker kontneukers lesbo lesbo's": "holebi's",
            "travo travo's travos shemale shemales manwijf manwijven": "trans personen",
            "mongool mongolen mongooltje mongo mongo's mongos spast spasten spasticus retard "
            "retards": "mensen met een beperking",
            "wijf wijven kutwijf kutwijven feminazi feminazis": "vrouwen",
        }
    ),
    coordinators=words("en maar want dus omdat terwijl"),
    go_back_target="herkomst",
    common=words(
        "de het een en van ik je dat die in is niet op te zijn er met voor maar om wat ook nog "
        "wel al bij dit naar heb hebt heeft wij we zij hoe waar wanneer mijn kan moet geen deze "
        "mag u uw ze hun hen men als dan of zo toch hier daar nu was waren werd worden wordt "
        "zou zouden gaan ga gaat kom komt over uit door tegen aan af na tot ben bent"
    ),
    subordinators=words("dat die omdat als wanneer zodat want maar terwijl"),
    glue=words("ik we wij ze zij jij zijn is die deze alle de het een moeten moet zouden"),
    generic=words("mensen personen persoon iemand zonder man vrouw mannen vrouwen medemens"),
    relatives=words("die"),
    me=words("me mij"),
    plural_endings=("en", "ers", "s"),
    others=words("hij zij men sommigen iemand mensen velen anderen"),
    objects=words("hem haar iemand iedereen jullie"),
    collectives=words("stelletje bende stel troep zootje hoop"),
    suffixes=words("je tje jes tjes ke ken kes pje etje"),
    words={
        PRONOUN: words("ze zij hen hun die deze zulke dezulken"),
        YOU: words("je jij jou u ge gij jullie jouw uw ulder"),
        FIRST: words("ik k ikke we wij"),
        PERSON: words(
            "ambtenaar ambtenaren ambtenaartje burgemeester schepen schepenen raadslid "
            "raadsleden gemeenteraadsleden politici politicus minister ministers agent agenten "
            "flik flikken politie politieagent politieagenten medewerker medewerkers "
            "medewerkster bediende bedienden loketbediende baliemedewerker chauffeur "
            "chauffeurs buschauffeur leraar leraren juf directeur baas bazen vent venten "
            "kerel kerels gast gasten figuur figuren buurman buurvrouw buren hangjongeren "
            "jongens jongen mannen man mens mensen personeel type types bankiers advocaten "
            "journalisten racisten fascisten nazi's nazis hooligans toeristen"
        ),
        NEGATOR: words("niet nie geen gene nooit niets niks"),
        NEGATOR_CLAUSE: words("niemand nergens geenszins allerminst"),
        HATE: words(
            "haat haten haatte haatten verafschuw verafschuwt verafschuwen verafschuwde "
            "verafschuwden veracht verachten verachtte verachtten walg walgt walgen walgde "
            "walgden minacht minachten minachtte gruwel verfoei verfoeien kotsbeu spuugzat "
            "minachting verachting walging afschuw weerzin braakneigingen kotsneigingen "
            "strontziek kotsmisselijk misselijk"
        ),
        DEHUMANISE: words(
            "ratten rat ongedierte kakkerlakken kakkerlak parasieten parasiet luizen vlooien "
            "maden wormen insecten bloedzuigers bacillen tumor gezwel pest plaag uitschot "
            "tuig gespuis schorem geteisem stront drek untermenschen onmensen barbaren "
            "monsters zwijnen apen vee zwermen zwerm horden hordes invasie overspoelen overspoeld "
            "overspoelt beestachtig beestachtige gedrochten gedrocht"
        ),
        DEROGATE: words(
            "walgelijk walgelijke walgelijker weerzinwekkend weerzinwekkende smerig smerige "
            "vies vieze goor gore ranzig ranzige verachtelijk verachtelijke minderwaardig "
            "minderwaardige inferieur inferieure achterlijk achterlijke debiel debiele "
            "gestoord gestoorde imbeciel imbeciele dom domme dommer stompzinnig stompzinnige "
            "waardeloos waardeloze nutteloos nutteloze primitief primitieve barbaars barbaarse "
            "onbeschaafd onbeschaafde pervers perverse abnormaal abnormale onnatuurlijk "
            "onnatuurlijke tegennatuurlijk tegennatuurlijke ziekelijk ziekelijke zwakzinnig "
            "zwakzinnige verderfelijk verderfelijke kwaadaardig kwaadaardige verwerpelijk "
            "verwerpelijke afstotelijk afstotelijke misselijkmakend misselijkmakende "
            "onuitstaanbaar onuitstaanbare stinkend stinkende stinken stinkt vuile luie verpesten "
            "verpest verzieken verziekt"
        ),
        WEAK: words(
            "lui gevaarlijk gevaarlijke agressief agressieve gewelddadig gewelddadige "
            "crimineel criminele criminelen onbetrouwbaar onbetrouwbare leugenachtig "
            "leugenachtige oneerlijk oneerlijke lelijk lelijke gek gekke gekken ziek zieke "
            "gierig gierige hebzuchtig hebzuchtige sluw sluwe arrogant arrogante brutaal "
            "brutale irritant irritante luidruchtig luidruchtige hysterisch hysterische zwak "
            "zwakke slecht slechte verschrikkelijk verschrikkelijke vreselijk vreselijke "
            "afschuwelijk afschuwelijke belachelijk belachelijke stom stomme zielig zielige "
            "pathetisch pathetische onbeschoft onbeschofte vuil afval vuilnis dieren beesten "
            "beest dier honden varkens nep dieven verkrachters terroristen "
            "pedofielen profiteurs uitvreters klaplopers leeglopers nietsnutten leugenaars "
            "luilakken idioten imbecielen debielen zwakzinnigen mislukkelingen freaks "
            "achterlijken ergste"
        ),
        POSITIVE: words(
            "slim slimme slimmer intelligent intelligente verstandig verstandige eerlijk "
            "eerlijke betrouwbaar betrouwbare vertrouwen vertrouw vertrouwt respect respecteer "
            "respecteren respecteert welkom waard waardevol waardevolle gelijken gelijkwaardig "
            "gelijkwaardige menselijk menselijke aardig aardige lief lieve "
            "vriendelijk vriendelijke mooi mooie knap knappe sterk sterke nuttig nuttige "
            "capabel capabele bekwaam bekwame competent competente "
            "beschaafd beschaafde volwaardig volwaardige rechten geweldig geweldige "
            "fantastisch fantastische leuk leuke fijn fijne prachtig prachtige deugen deugt "
            "geschikt geschikte integreren bestaansrecht bijdragen aannemen trouwen daten "
            "verhuren samenwerken"
        ),
        THREAT: words(
            "vermoorden vermoord vermoordt vergas doden doodmaken doodschieten doodsteken "
            "doodslaan doodtrappen afmaken afknallen afschieten neerschieten neersteken "
            "neerknallen afslachten afgeslacht slachten uitroeien uitgeroeid vergassen "
            "vergast verbranden verbrand ophangen opgehangen opknopen opgeknoopt executeren "
            "geexecuteerd onthoofden onthoofd kelen wurgen verdrinken verzuipen lynchen gedood "
            "afgemaakt doodgeschoten neergeschoten "
            "gelyncht elimineren uitschakelen kapotmaken kapotslaan aftuigen afranselen "
            "mishandelen neersabelen verkrachten afrekenen"
        ),
        GROUP_VIOLENCE: words(
            "dood sterven sterft creperen crepeer verrekken doodgaan uitsterven wegvagen "
            "opruimen opgeruimd schoonvegen zuiveren gaskamer gaskamers ovens kogel aanvallen "
            "branden dumpen gedumpt afvoeren afgevoerd"
        ),
        EXPEL: words(
            "eruit oprotten opdonderen opsodemieteren opkrassen ophoepelen "
            "terugsturen wegsturen uitzetten deporteren gedeporteerd buitengooien "
            "buitenschoppen uitwijzen uitgezet teruggestuurd wegwezen"
        ),
        MODAL: words("moeten moet zouden zou mogen verdienen verdient horen hoort hopelijk"),
        LINK: words(
            "zijn waren blijven lijken gedragen leven vind vinden noem noemen beschouw "
            "beschouwen bent zijt ben"
        ),
        LINK_SINGULAR: words("is was wordt blijft lijkt gedraagt leeft"),
        PROFANITY: words(
            "kut kanker tering tyfus klere kolere pleuris fuck fucking fck godverdomme "
            "godverdomse verdomme verdomd verdomde godver godsamme potverdomme potverdorie "
            "shit klote kloten miljaar nondedju nondju verdorie damn"
        ),
        INSULT: words(
            "klootzak klootzakken kloothommel kloothommels klootviool eikel eikels lul "
            "hufter hufters schoft schoften smeerlap smeerlappen etterbak etterbakken "
            "tyfuslijer tyfuslijers kankerlijer kankerlijers teringlijer teringlijers "
            "klerelijer klerelijers pokkelijer rotzak rotzakken zakkenwasser zakkenwassers "
            "lamzak lamzakken vetzak vetzakken dikzak idioten imbeciel imbecielen debiel "
            "debielen randdebiel randdebielen sukkel sukkels domkop domkoppen domoor dombo "
            "stommeling stommelingen uilskuiken onnozelaar onnozelaars loser losers kneus "
            "mislukkeling trutten klojo lapzwans zeikerd gluiperd slijmbal "
            "viezerik viespeuk kutkind kutjong tokkie tokkies zotskap zeveraar zeveraars "
            "hoeren sletten sloerie sloeries bitch bitches kuthoer kankerhoer mietje"
        ),
        INSULT_WEAK: words(
            "idioot oen oenen zot sul gek mafkees malloot prutser prutsers clown clowns pias "
            "hoer slet teef trut heks kreng"
        ),
        ANIMAL: words("aap varken kieken zak koe geit ezel beest rat nul kakkerlak"),
        INSULT_ADJ: words(
            "dom domme stom stomme achterlijk achterlijke debiel debiele gestoord gestoorde "
            "walgelijk walgelijke vies vieze smerig smerige lelijk lelijke dik dikke vet vette "
            "onnozel onnozele zot zotte waardeloos waardeloze nutteloos nutteloze zielig "
            "zielige pathetisch pathetische imbeciele idiote geschift geschifte hersenloos "
            "hersenloze vuile gore"
        ),
        ACCUSE: words(
            "leugenaar leugenaars dief dieven oplichter oplichters bedrieger bedriegers "
            "profiteur profiteurs parasiet parasieten zakkenvuller zakkenvullers graaier "
            "graaiers uitschot tuig"
        ),
        REPORT: words(
            "zeggen zegt zeg zei zeiden gezegd noemen noemt noem noemde noemden genoemd "
            "beweren beweert beweer beweerde beweerden roepen roept riep riepen geroepen "
            "schreeuwen schreeuwt schreeuwde scanderen scandeerde schrijven schrijft schreef "
            "schreven geschreven tweeten tweet tweette getweet posten postte gepost "
            "verspreiden verspreidt verspreidde bedreig uitspraak uitspraken opmerking opmerkingen "
            "woorden taal taalgebruik retoriek propaganda leuzen leuze slogan slogans "
            "spandoek graffiti tekst teksten zinnen commentaar reactie reacties bericht "
            "berichten haatberichten scheldwoord scheldwoorden uitschelden scheldt schold "
            "scholden uitgemaakt uitmaken uitmaakt "
            "bedreigen bedreigt bedreigde bedreiging bedreigingen dreigen dreigt dreigde "
            "gedreigd discrimineren discrimineert discriminatie racisme racist racistisch "
            "racistische seksisme seksistisch seksistische homofobie homofoob homofobe "
            "transfobie transfoob transfobe antisemitisme antisemitisch antisemitische "
            "islamofobie islamofoob vreemdelingenhaat xenofobie haatspraak haatzaaien "
            "haatzaaierij haatzaaiers haatdragend haatdragende haters kwetsend kwetsende "
            "beledigend beledigende belediging beledigingen beledigen gehoord gelezen "
            "vernomen aangifte strafbaar insinueren suggereren"
        ),
        OPINION: words("denken denkt denk dacht vinden vindt vind vond geloven gelooft geloofde"),
        CONDEMN: words(
            "onaanvaardbaar onaanvaardbare ontoelaatbaar onacceptabel solidair onzin nonsens "
            "kletskoek schamen"
        ),
        RELATIVE: words("wie"),
        VICTIM: words(
            "slachtoffer slachtoffers doelwit doelwitten gediscrimineerd gepest uitgescholden "
            "bedreigd aangevallen mishandeld behandeld behandeling benadeeld uitgesloten geviseerd "
            "getroffen"
        ),
        PASSIVE: words("werd werden wordt worden geworden"),
        FUNCTION: words(
            "ik je jij jou u ge we wij ze zij hen hun die deze dat dit de het een alle al elke "
            "iedere zijn is ben bent was waren moeten moet zouden zou mogen horen en van voor "
            "naar op in met te om echt gewoon zo allemaal mensen personen me mij toch ook wel "
            "hier"
        ),
    },
    phrases={
        GROUP: (),
        PRONOUN: ("dat soort", "dat volk", "dat ras", "die mensen", "zo'n mensen", "dat tuig"),
        HATE: (
            "hekel aan",
            "afkeer van",
            "schijt aan",
            "de pest aan",
            "niet ~2 uitstaan|luchten|verdragen|velen",
            "niet meer ~1 zien",
            "niet ~2 zien zitten",
            "kan|kunnen|kon niet tegen",
            "ziek van",
            "kots|kotsen van|op",
            "spuug|spugen op",
            "heb|hebben het gehad met",
            "erger|ergeren me|mij|ons dood aan",
            "ben|zijn ~2 beu",
            "maken|maakt ~2 me|mij|ons ziek|misselijk|kotsmisselijk",
            "doen|doet me|mij walgen",
        ),
        DEHUMANISE: (
            "als ratten|beesten|dieren|kakkerlakken|konijnen|ongedierte",
            "fokken|kweken als",
            "vermenigvuldigen zich",
            "minder dan mensen",
            "fokken|fokt|kweken|kweekt",
            "zijn|is|waren|was geen ~2 mensen|mens",
        ),
        # "niets ergers dan een X": the negation is part of the insult.
        DEROGATE: (
            "niets|niks ~1 erger|ergers|slechter|smeriger|walgelijker|viezer dan",
            "iets ~1 walgelijkers|ergers|smerigers|viezers dan",
        ),
        WEAK: (
            "een|het last|probleem|gevaar|bedreiging|schande|vergissing|kanker|ziekte|pest|"
            "virus|plaag|gezwel|ramp|grap",
        ),
        POSITIVE: (
            "te vertrouwen",
            "doen|doet er ~1 toe",
            "doen|doet ertoe",
            "zijn|is ~2 goed|goede",
            "goede mensen",
            "goed volk",
            "gelijke rechten",
            "horen|hoort ~3 thuis",
            "hou|houd|houden van",
        ),
        THREAT: (
            "maak|maken|maakt ~6 af|dood|kapot",
            "schiet|schieten ~6 dood|neer|af",
            "steek|steken ~6 neer|dood|overhoop|kapot",
            "sla|slaan|slaat ~6 dood|kapot|neer|verrot|plat",
            "sla|slaan|slaat|trap|trappen|timmer|timmeren|beuk|beuken|schop|schoppen|stamp|"
            "stampen ~6 in elkaar|mekaar",
            "in elkaar|mekaar slaan|trappen|timmeren|beuken|meppen",
            "hang|hangen ~6 op",
            "knal|knallen ~6 af|neer|dood",
            "roei|roeien ~6 uit",
            "trap|trappen ~6 dood|kapot",
            "knoop|knopen ~6 op",
            "pijn doen",
            "ik|we pak|pakken|krijg|krijgen ~1 jullie|je|jou|u|ze|hen|die|alle",
            "laten lijden|boeten|creperen|verrekken",
            "de kop inslaan",
            "de nek omdraaien",
            "keel doorsnijden|oversnijden|doorsnijd",
            "iets aandoen",
            "te grazen nemen",
            "in brand steken",
            "de dood",
            "uit te roeien",
            "af te maken|knallen|schieten|slachten",
            "dood te schieten|slaan|steken|maken",
            "neer te schieten|steken|knallen",
            "op te hangen|knopen",
            "in elkaar|mekaar te slaan|trappen",
            "kapot te maken|slaan",
            "pijn te doen",
            "krijgen|krijgt wat ze|hij|je|jullie verdienen|verdient",
            "lesje ~1 leren",
            "steek|steken ik|we ~4 in brand",
            "keel ~2 doorsnijden|oversnijden",
        ),
        GO_BACK: ("terug naar je|jouw|uw|jullie|ulder ~1 eigen|land|woestijn|jungle|apenland",),
        GROUP_VIOLENCE: (
            "ruim|ruimen|ruimt ~6 op",
            "op te ruimen",
            "als ~4 verdwenen|verdwijnen|verdwijnt|stierven|doodgingen|uitstierven",
            "als ~4 weg|dood waren|zijn|zouden",
            "van de aardbodem",
            "aan te doen",
        ),
        EXPEL: (
            "het|ons|dit land uit",
            "moeten|moet|mogen|mag|zouden|zou|wil|willen ~3 weg|buiten",
            "weg ermee|hiermee|uit",
            "uit te zetten|wijzen",
            "weg|terug te sturen",
            "buiten te gooien|zetten|schoppen",
            "van ~5 af",
            "terug naar ~3 land|woestijn|jungle|afrika|marokko|turkije|hok|kast|keuken",
            "terug naar waar|hun|eigen",
            "terug in de kast|keuken",
            "zet|zetten|gooi|gooien|schop|schoppen|stuur|sturen ~4 uit|buiten|eruit|terug|weg",
            "veeg|vegen ~4 weg|schoon",
        ),
        EXCLUDE: (
            "niets|niks te zoeken",
            "geen plaats|plek voor",
            "horen|hoort in een|de kooi|dierentuin|zoo|keuken|kerker|gesticht|instelling|jungle",
            "horen|hoort achter het aanrecht",
            "liever ~6 dan",
            "beter af ~2 zonder|als",
            "beter|betere|mooier|mooiere|veiliger|veiligere|schoner ~3 zonder",
            "zonder ~4 beter|betere|mooier|mooiere|veiliger|veiligere|schoner|schonere|rustiger|"
            "prettiger|leefbaarder",
            "schoonvegen|zuiveren|verlossen|bevrijden|ontdoen van",
            "zouden ~3 geen|niet ~3 mogen",
            "geen rechten",
            "horen|hoort niet ~3 in|op|bij|thuis",
            "moeten|moet|zouden|zou ~3 genezen|omgeturnd|heropgevoed|bekeerd",
        ),
        MODAL: (
            "laten we",
            "laat ons",
            "tijd om|dat",
            "iemand moet|zou",
            "ik|we hoop|hopen dat",
            "wens|wensen ~3 toe",
            "zou goed zijn",
            "graag zien|zou zien",
            "het beste dat",
            "dood aan",
            "weg met",
            "eruit met",
        ),
        LINK: ("gedragen zich", "zijn net", "zoals"),
        INSULT_PHRASE: (
            "hou|houd je|uw|jullie|u bek|muil|smoel|kop|waffel|snater|tater|klep|bakkes",
            "rot|donder|sodemieter|lazer ~1 op",
            "flikker|kanker|tyfus|tering op",
            "flikker|kanker|tyfus|tering toch|maar|nou|nu op",
            "krijg|krijgt ~1 de kanker|tering|tyfus|klere|kolere|pest|pleuris|takke",
            "val|ga dood",
            "fuck you|jou|u|jullie|off|yourself",
            "loop naar de hel|duivel|kloten",
            "stik ~1 in",
            "kus|lik mijn|m'n|mn reet|kloten|kont",
            "stuk vreten|stront|ongeluk|verdriet",
            "zak hooi",
            "halve gare",
        ),
        THREAT_PHRASE: (
            "je|jij|jullie|ge|gij|u gaat|gaan|zult|zal ~1 eraan",
            "je|jij|jullie|ge|gij|u bent|zijn|zijt er|zo geweest",
            "dan ben|bent|zijn|zijt je|jij|jullie|ge|gij er|zo geweest",
            "je|jij|ge|gij bent|zijt ~1 dood",
            "je|jij|jullie|ge|gij bent|zijn|zijt de volgende",
            "ik|we weet|weten waar je|jij|u|ge|gij|jullie|uw|jouw|ulder",
            "ik|we weet|weten jouw|uw|je adres",
            "pas|kijk maar op|uit",
            "pas jij|jullie|gij maar op",
            "wacht maar tot",
            "bezuren|berouwen",
            "zult|zal|gaat ~2 boeten",
            "ik krijg je|jou|u|jullie",
            "ik|we sla|slaan|schop|schoppen|trap|trappen|mep|meppen|pak|pakken je|jou|u|jullie",
            "ik|we kom|komen je|jou|u|jullie ~1 halen|opzoeken|pakken|vinden",
            "ik|we zal|zullen|ga|gaan je|jou|u|jullie ~2 vinden|pakken|krijgen|opzoeken",
            "zet ik je|u betaald",
            "ik|we kom|komen ~3 met een mes|geweer|wapen|bijl|pistool|bom",
            "gaan|zullen doden vallen",
            "ik|we ~4 een bom",
            "ik|we hoop|hoopt|hopen dat ~2 je|jij|jullie|u ~3 doodgaat|sterft|crepeert|verrekt|"
            "verzuipt|creperen|sterven|doodgaan",
            "ik|we wens|wensen je|jou|u|jullie de dood",
            "ik|we ~2 steek|steken ~4 in brand",
            "ik|we ~2 steek|steken ~4 in de fik",
            "ik|we ~2 blaas|blazen ~4 op",
        ),
        REPORT: (
            "praat|praten|spreekt|spreken|sprak|schrijft|schrijven ~3 over",
            "dit|dat|zulke taal|uitspraken|opmerkingen",
            "dat soort taal|uitspraken|opmerkingen",
            "woorden|zinnen|termen als",
            "haat tegen|tegenover|jegens|naar|richting|op",
            "de|die|deze|zoveel|veel|vol|geen|tot|uit|zonder|door|met haat",
            "oproepen|oproep|aanzetten|aanzet|aanzetting tot",
        ),
        CONDEMN: (
            "niet|nooit ~1 oke|ok|okay|correct|aanvaardbaar|acceptabel|tolerabel|gepast|cool",
            "niet te tolereren",
            "nooit goed te praten",
            "nooit gerechtvaardigd",
            "schaam je|jullie|u",
            "hoe durf je|jij|u|jullie",
            "stop|stoppen|ophouden|genoeg ~1 met",
            "hou|houd op met",
            "geen plaats|plek voor haat|racisme|discriminatie",
            "tegen haat|racisme|discriminatie|homofobie|transfobie|antisemitisme",
            "opkomen voor|tegen",
            "staan ~1 achter|naast",
            "beneden alle peil",
            "het|dat is|was ~2 fout|verkeerd|laf|dom|triest|erg|walgelijk|schandalig|schande "
            "~2 om|dat|hoe",
            "aanvaarden|tolereren|pikken|accepteren we ~2 niet",
            "kan|kunnen ~1 niet geloven",
            "dat kan ~1 niet",
        ),
        RELATIVE: (
            "mensen|iedereen|iemand|degenen|degene|diegenen|diegene|personen|figuren|types|"
            "sommigen|anderen|velen|mannen|jongens|zij|jij|hij|racisten die",
        ),
        VICTIM: ("lijden onder|aan",),
        ENDORSE: (
            "mee eens",
            "helemaal gelijk",
            "groot gelijk",
            "zo is het",
            "eens met",
            "inderdaad",
            "precies",
        ),
        NEUTRAL: (
            "niets|niks ~1 meer|anders dan",
            "niets|niks dan",
            "niet alleen|enkel|eens",
            "niet meer dan",
            "niet ~2 wachten",
            "eerlijk gezegd",
            "het niet ~2 zijn|wezen als",
            "om eerlijk te zijn",
            "geen probleem|bezwaar",
            "niets|niks tegen",
            "niets|niks mis",
            "flikker op",
            "lijden onder",
        ),
        NEGATOR_CLAUSE: ("geen enkele|enkel",),
        QUESTION_NEGATION: ("hoe kun|kan|zou|kunnen je|jij|men|u|ge|iemand ~6 niet",),
    },
)


FR = Lexicon(
    language="fr",
    groups=_groups(
        {
            "musulmans musulmanes musulman musulmane islamistes": "musulmans",
            "juifs juives juif juive": "juifs",
            "noirs noires personnes_noires gens_de_couleur africains": "personnes noires",
            "arabes maghrebins marocains turcs etrangers etranger roms gitans": "origine",
            "immigres immigre immigrants migrants migrant refugies refugie "
            "demandeurs_d'asile sans-papiers": "immigres",
            "femmes filles": "femmes",
            "homosexuels homosexuel homosexuelles gays gay lesbiennes lesbienne": "homosexuels",
            "trans transgenres personnes_trans transsexuels": "personnes trans",
            "handicapes handicape personnes_handicapees autistes": "personnes handicapees",
        }
    ),
    slur_targets=_groups(
        {
            "negre negres negro bamboula bougnoule bougnoules bicot bicots raton ratons "
            "melon melons": "origine",
            "youpin youpins youtre": "juifs",
            "pede pedes tapette tapettes tarlouze tarlouzes gouine gouines fiotte": "homosexuels",
            "travelo travelos": "personnes trans",
            "mongol mongols gogol gogols triso trisos": "personnes handicapees",
        }
    ),
    coordinators=words("et mais car donc parce"),
    go_back_target="origine",
    fuzzy=False,
    common=words(
        "le la les un une et de des du je tu il elle nous vous est pas que qui pour dans sur "
        "avec ce ces mais ou on ne se sont au aux y en"
    ),
    subordinators=words("que qui parce quand"),
    glue=words("je les des ces tous sont"),
    generic=words("personnes gens"),
    relatives=words("qui"),
    me=words("me moi"),
    plural_endings=("s", "x"),
    others=words("il elle ils elles certains quelqu'un"),
    objects=words("le la lui quelqu'un"),
    collectives=words("bande tas"),
    words={
        PRONOUN: words("ils elles eux leur ces ceux"),
        YOU: words("tu te toi t vous ton ta tes votre vos"),
        FIRST: words("je j moi nous on"),
        PERSON: words(
            "maire echevin fonctionnaire fonctionnaires agent agents policier policiers "
            "ministre politiciens employe employes voisin voisins mec type gars politicien"
        ),
        NEGATOR: words("pas jamais rien aucun aucune ni"),
        NEGATOR_CLAUSE: words("personne nullement"),
        HATE: words("deteste detestent detester hais hait haissent hair hai execre meprise"),
        DEHUMANISE: words(
            "rats vermine cafards parasites poux sangsues ordures dechets racaille animaux "
            "betes singes porcs chiens cancer peste fleau sous-hommes barbares sauvages"
        ),
        DEROGATE: words(
            "degoutants degoutantes degoutant degoutante repugnants repugnantes inferieurs "
            "inferieures immondes immonde sales stupides debiles abrutis arrieres "
            "demeures inutiles pervers malades primitifs"
        ),
        WEAK: words(
            "paresseux dangereux dangereuses criminels voleurs violents menteurs laids "
            "nuls betes fous folles terroristes"
        ),
        POSITIVE: words(
            "intelligents intelligentes honnetes bienvenus bienvenues humains humaines egaux "
            "respect respecte respecter confiance dignes gentils beaux utiles normaux "
            "droits aime aimer"
        ),
        THREAT: words(
            "tuer tue buter bute crever massacrer exterminer gazer bruler pendre abattre "
            "egorger flinguer fusiller frapper tabasser lyncher eliminer mourir morts mort"
        ),
        EXPEL: words("dehors expulser expulses renvoyer deporter"),
        MODAL: words("doivent doit devraient devrait faut faudrait meritent merite"),
        LINK: words("sont etaient restent semblent"),
        LINK_SINGULAR: words("est etait reste semble"),
        PROFANITY: words("putain merde bordel fuck fucking chier"),
        INSULT: words(
            "connard connards connasse connasses salope salopes pute putes encule encules "
            "abruti abrutis cretin cretins debile debiles imbecile imbeciles batard batards "
            "enfoire enfoires salaud salauds pouffiasse"
        ),
        INSULT_WEAK: words("con conne cons idiot idiots idiote nul nulle clown"),
        INSULT_ADJ: words("stupide idiot nul laid moche gros grosse sale"),
        ACCUSE: words("menteur menteurs voleur voleurs escroc escrocs"),
        REPORT: words(
            "dire dit dis disent traiter traite traites ecrit ecrire crier crie propos "
            "remarques commentaire raciste racistes racisme homophobe homophobie sexiste "
            "antisemite antisemitisme insultes insulter menacer menace menaces"
        ),
        OPINION: words("pense pensent penser crois croient trouve trouvent"),
        CONDEMN: words("inacceptable inadmissible honteux"),
        RELATIVE: words("quiconque"),
        VICTIM: words("victimes victime discrimines harceles agresses attaques"),
        PASSIVE: words("ete"),
        FUNCTION: words("je tu il nous vous ils les des la le un une sont est tous"),
    },
    phrases={
        PRONOUN: ("ces gens",),
        HATE: ("ne supporte pas", "peux pas supporter", "horreur de"),
        POSITIVE: ("dignes de confiance",),
        THREAT: ("faire du mal", "faire souffrir", "casser la gueule"),
        EXPEL: ("rentrer chez eux", "hors de", "retourner dans leur pays"),
        EXCLUDE: ("pas de place pour", "n'ont rien a faire"),
        MODAL: ("mort aux", "a mort", "dehors les"),
        INSULT_PHRASE: (
            "ta gueule",
            "ferme ta gueule",
            "fils de pute",
            "va te faire foutre",
            "nique ta mere",
            "va crever",
        ),
        THREAT_PHRASE: (
            "je vais te|vous tuer|buter|crever|retrouver|defoncer",
            "je sais ou tu habites|vis",
            "je sais ou vous habitez|vivez",
            "tu vas le regretter|payer|mourir",
            "t'es mort",
            "tu es mort",
            "une bombe",
        ),
        REPORT: ("parler de",),
        GO_BACK: ("rentre|retourne dans ton pays",),
        CONDEMN: ("pas acceptable", "pas ok", "arretez de", "arrete de", "honte a"),
        RELATIVE: ("ceux qui", "les gens qui", "celui qui", "quelqu'un qui"),
        NEUTRAL: ("rien que", "ne que", "rien contre", "pas de probleme"),
        ENDORSE: ("tout a fait", "exactement"),
    },
)


EN = Lexicon(
    language="en",
    groups=_groups(
        {
            "muslims muslim islamists": "muslims",
            "jews jew jewish_people": "jews",
            "black_people blacks black_men black_women africans": "black people",
            "arabs foreigners foreigner gypsies roma": "origin",
            "immigrants immigrant migrants migrant refugees refugee asylum_seekers "
            "illegals": "immigrants",
            "women girls": "women",
            "gays gay_people gay_men homosexuals lesbians lesbian queers": "gay people",
            "trans_people trans_women trans_men transgender_people transgenders "
            "transsexuals": "trans people",
            "disabled_people the_disabled handicapped_people cripples "
            "autistic_people": "disabled people",
        }
    ),
    bare_groups={"black": (words("a every any"), "black people")},
    slur_targets=_groups(
        {
            "nigger niggers nigga niggas coon coons wog wogs spic spics chink chinks "
            "raghead ragheads towelhead towelheads paki pakis": "origin",
            "kike kikes yid yids": "jews",
            "fag fags faggot faggots dyke dykes homo homos": "gay people",
            "tranny trannies shemale shemales": "trans people",
            "retard retards spastic spastics spaz mong mongs": "disabled people",
        }
    ),
    coordinators=words("and but because so"),
    go_back_target="origin",
    common=words(
        "the a an and of to is are i you he she we they it that this not for on with in be "
        "was were at by or as so do did have has"
    ),
    subordinators=words("that who because when which"),
    glue=words("i we they all are the"),
    generic=words("people men women the"),
    relatives=words("who"),
    me=words("me"),
    plural_endings=("s",),
    others=words("he she they someone people"),
    objects=words("him her someone everyone"),
    collectives=words("bunch pack"),
    words={
        PRONOUN: words("they them their those these such"),
        YOU: words("you your ya u"),
        FIRST: words("i we i'll i'm we'll"),
        PERSON: words(
            "mayor councillor councillors officer officers clerk clerks staff minister "
            "politicians politician people guy guys man men neighbour neighbours "
            "bankers lawyers journalists racists fascists nazis"
        ),
        NEGATOR: words("not no never nothing none neither nor don't doesn't isn't aren't"),
        NEGATOR_CLAUSE: words("nobody"),
        HATE: words("hate hates hated despise despises loathe loathes detest detests"),
        DEHUMANISE: words(
            "rats vermin cockroaches parasites lice leeches scum trash filth garbage vermin "
            "animals beasts apes pigs dogs plague disease cancer subhuman subhumans savages "
            "swarm swarms infestation"
        ),
        DEROGATE: words(
            "disgusting repulsive vile inferior worthless stupid retarded filthy dirty "
            "subhuman pathetic useless disgusting sick perverted primitive"
        ),
        WEAK: words(
            "lazy dangerous criminals criminal thieves violent liars ugly dumb crazy "
            "terrorists rapists"
        ),
        POSITIVE: words(
            "smart intelligent honest welcome human humans equal respect respected trust "
            "trustworthy worthy good kind nice beautiful useful normal rights love"
        ),
        THREAT: words(
            "kill killed murder murdered slaughter exterminate exterminated gas gassed burn "
            "burned hang hanged shoot shot stab stabbed beat lynch eliminate die dead "
            "hurt rape"
        ),
        EXPEL: words("deport deported out expel expelled"),
        MODAL: words("should must deserve deserves ought need"),
        LINK: words("are were remain seem"),
        LINK_SINGULAR: words("is was remains seems"),
        PROFANITY: words("fuck fucking fucked shit damn bloody crap"),
        INSULT: words(
            "asshole assholes bastard bastards dickhead dickheads cunt cunts twat twats "
            "moron morons idiots imbecile bitch bitches whore whores slut sluts wanker wankers"
        ),
        INSULT_WEAK: words("idiot fool loser clown dick prick pig"),
        INSULT_ADJ: words("stupid dumb ugly fat pathetic useless worthless disgusting"),
        ACCUSE: words("liar liars thief thieves crook crooks"),
        REPORT: words(
            "say says said saying call calls called calling write wrote written tweet "
            "tweeted shout shouted comment comments remark remarks statement words language "
            "racist racism homophobic homophobia sexist sexism antisemitic antisemitism "
            "slur slurs threaten threatened threatening threats insult insults"
        ),
        OPINION: words("think thinks believe believes"),
        CONDEMN: words("unacceptable disgraceful shameful"),
        RELATIVE: words("whoever"),
        VICTIM: words("victims victim discriminated harassed attacked targeted"),
        PASSIVE: words("was were been being"),
        FUNCTION: words("i you we they the a all are is be should must and"),
    },
    phrases={
        HATE: ("can't stand", "cannot stand", "sick of", "fed up with"),
        POSITIVE: ("to be trusted",),
        THREAT: ("get rid of", "wipe out", "beat up"),
        EXPEL: ("go back", "send back", "get out", "kick out"),
        EXCLUDE: ("no place for", "belong in a zoo|cage|kitchen", "better off without"),
        MODAL: ("let's", "death to", "i hope", "someone should"),
        INSULT_PHRASE: ("shut up", "fuck you", "fuck off", "go to hell", "piss off", "drop dead"),
        THREAT_PHRASE: (
            "i'll|i will kill|find|hurt|get you",
            "i'm going to kill|find|hurt|get you",
            "i know where you live",
            "you're dead",
            "you are dead",
            "you will pay",
            "a bomb",
        ),
        REPORT: ("talk|talks|talking about",),
        GO_BACK: ("go back to your|where you",),
        CONDEMN: (
            "not okay|ok|acceptable",
            "never okay|ok|acceptable",
            "stop saying|calling",
            "shame on you",
            "how dare you",
        ),
        RELATIVE: ("people|anyone|someone|those who",),
        NEUTRAL: ("nothing but", "nothing against", "no problem with", "not only"),
        ENDORSE: ("agree", "exactly", "so true"),
    },
)

# Real words one dropped letter, one swap or one doubled letter away from a lexicon word: a
# fuzzy match never lands on them ("hoe" stays "hoe", not "hoer"). Found with the OpenTaal
# word list (Dutch, BSD / CC BY 3.0) and SCOWL (English, permissive licence); to be
# regenerated when the lexicon changes.
REAL_WORDS: dict[str, frozenset[str]] = {
    "nl": words(
        "aal aar aard aas aat acht aden advocate afgaan afkomt aflachten afslachtten agente "
        "agressie ale alg algelijk algen all allee allochtone anker annen appen arabie aren "
        "arken arkens ast asten atten aval azen banden bankers bankier barbaar bas bass "
        "bedieden bediend bedienen bedreiger bedreigers bedrieg bedriegen bedriegt beedigen "
        "beediging beedigingen beent beeren bees beet beets behandel benadeel berichte "
        "berichtten beschaaf beset best besten bet beween beweerd bijdrage binden blijf "
        "blinde bloedzuiger braden brandden bren buitenlands buuren buurma christene creeer "
        "creeren dam date debie dee degen deken dekt den denen denke der deren derk deug "
        "dezulke diere directer discrimineer dode dodo domo don donker doodden doodssteken "
        "dove dre dregde dregt dreig driegde driegen driegt echten ect eef eel eelke eest "
        "eesten eger eggen egt eit eke elk elven ene enen enger enk enken ens enten eonen "
        "erachten ergens ergst eritreeer est ette even everaar familie fij fijen fik fikken "
        "fikkers fin fine freak gaast gas gaste gat gaten gedocht gedraag gedregd gedreig "
        "gedriegd geegd geene geest gehandicapt gehoor gehord gei geke gekeurde gekleurd "
        "geleen geleurde gelijkaardig gelijkaardige gelijke geloof geloofd geloot genee gent "
        "genten geoord gepot gesuis get gewon gezel giet git gluiper gorree groepen "
        "haatzaaier haen hangjongere hater hek heren hes hie hinde hindes hit hodes hoen hom "
        "homofiele homokoppel honen hooligan hoonden hoor hoorden hoos hor horn horren hort "
        "ieder iek ieke iep iepen ieren iet ietje iets ijken ijkt ike illegale immigrante ind "
        "inden innen invalide inwoner islamfobie islamitisch islamofobe jonen jonge jongere "
        "jonges joods journaliste julie kaker kap kappe katholieke keel keen keken keur keus "
        "klaploper klee kloen kloet klootte klootten knaap knape kneu knus koel koggel koppel "
        "koten kwetsen laag lachten leef leegloper leen leeraar leet lef lek lesbisch lesbos "
        "let letten leur leze lezen lijft lijk lijven lik liken likken likker likkers likt "
        "lim linden live loer logan logans looien lose losser lossers loten luien luk luke "
        "luw luwe maak maanen made makaak makaken manen meens meisje menen mes mesen mesjes "
        "metaal meten metje minachtten mishandel moe moen moge mono monster mot moten mous "
        "nap nar nazi neer negeer negens neggers nemen net neus nieman nies niest nik nis noe "
        "nom nomden nomen noot och oene oer oeren ogen olen oma ommer onder ongeren "
        "onthoofdden onthoofde ooi ooit oorden oort opgeruid opkopen opruien ordes ore oren "
        "otte ouden overspelen pachtige pais pas past pasten pedofiele peest pen personele "
        "persson pet pets pia pis pisa plag poen pole politieagente pollen poolen posen "
        "postten poten potsen potte pruimen pst raciste randen rans raten ratte rechte rek "
        "reng rep rept rie rip roemen roep roet rolstoelgebruiker ropt rouw ruit rut rutten "
        "sast sasten scheef scheen scheld schelt scheppen scherven scheven schijven schol "
        "scholen schooft schore schot schoten schreeuw schrift schrijen schrijf schrijve "
        "serven set shi sikh sim slachte slachtten slechtte sleet sleten smos som somalier "
        "sommeling sous spat spats stek ster stere steren sterf steven stikt stink stint "
        "stoom strek streven strot sukel surinamer surinames syrie tal tans tee teering terig "
        "terroriste test testen tig tinken tinkt toeriste tom touwen tran tras travestieen "
        "trouwe truken tui tuk turen tut tutten twee tweeen typ uil uitgeloten uitmaak "
        "uitscheden uitschoot uitsprak uitvreter uitzette ukkel ukkels ulke uren urk varen "
        "varens ven venen vens vente verafschuwd veras verassen verast verband verbanden "
        "verbrandden verbrande verdien verdom verest verga vergat verkrachte verkrachter "
        "verkrachtten vermoordden vermoorde verpeste verpestten verreken verspreid "
        "verspreidden verziek verziet vete veten vie vil vin vis vise vlok vluchtelinge vod "
        "vol von vouw vouwen vracht vrachten vreemdelinge vreeslijk vreeslijke vrouwe vul "
        "waad wagen wagt wak wakke wal walde walden walen walglijk walglijke waling walt ward "
        "ware warren wart warten wed weden wedren weerd weerden weet weren werm wijen wijnen "
        "woonwagenbewoner word wort xenofobe ype ypes zeden zeel zegen zegge zeide zeik "
        "zeiker zet zie zieden zijnen zin zit zoden zonde zoude zuivere zulk zwaarte zware "
        "zwartte zwartten zwem zwemen zweren "
    ),
    "en": words(
        "african aid animal apse arab arts ate ats back backs bakers banker bat beast beats "
        "bee ben bests bet beta blood bun bur cal cap carp chin chins con conn cons coo cook "
        "cooks coos councilor councilors cray cripple cum cut cuts dad dam dan depot dirt "
        "disable discriminate dog dos dub dye dyes easts eat eben either ere ever exist fagot "
        "fagots fascist foo garage girl god goo gus hag han hat hats hatted heir hem hey hit "
        "hmo homosexual hones hoot hose hot hut ids ike illegal ind islamist itch itches "
        "journalist kid kin lack lacks lair lairs lars lathe lathes laughter lawyer lay "
        "layers lie lira liras loath looser lose mart mayo minster mon mons moon moons morn "
        "morns moro mst nazi ned nee neighbor neighbors nether niger noe non norma noting "
        "office offices omen one our parasite pick pis queer rae rapist rash rat refuge "
        "refuges rick right ripples rite roam rom rook rooks rote rust sad savage see seeker "
        "sees shoo shut sics sid sit slr soot sot spa sum swam tab tabbed tans tat tats "
        "terrorist thee thees thieve thin thins threat thy tran transsexual treats twa twee "
        "urn vie violet vitim warm warms wats wee weer well word wore worth writ "
    ),
}

LEXICONS: dict[str, Lexicon] = {lexicon.language: lexicon for lexicon in (NL, FR, EN)}
