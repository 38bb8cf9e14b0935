"""Word lists that are data, in one place: stopwords, sound-alike letters, letters that
hint a language, words that name the kiosk's own unit, small-talk filler, arithmetic.

Matching code reads these; none of it lives inside a matching function.

Stopwords per language: function words and the words people wrap a question in.

Question words ("how", "hvordan", "jak") are stopwords here on purpose: they carry no
topic, and leaving them out lets the confidence measure count only the words that
say what the question is about. Lists are lowercase; folded (diacritic-free) forms
are added by the analyzer so "sie" is dropped like "się".
"""

from __future__ import annotations

_EN = """
whose
since
a about above after again against all am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't down during each few for from further get gets getting got had hadn't has hasn't have
haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd
i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor
not of off on once only or other ought our ours ourselves out over own same shan't she she'd
she'll she's should shouldn't so some such than that that's the their theirs them themselves then
there there's these they they'd they'll they're they've this those through to too under until up
very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves im ive dont cant wont isnt whats hows wheres whens u ur pls please plz thanks
want wanna wants need needs like know tell explain anyone anybody something someone thing things
just also still really much many am will shall may might must way ok okay hi hey hello hm
anything everything nothing somebody everybody everyone even ever already yet soon now then today
tomorrow yesterday again go goes going gone went gonna gotta do done make makes made let lets say
says said think thought guess sure maybe probably actually basically literally stuff guys mate bro
man lol yeah yes yep nope right else kind sort able possible whatever somehow
one two three four five six seven eight nine ten twenty thirty
"""

_NB = """
mens
alle at av bare begge ble blei bli blir blitt både da de deg dei dem den denne der dere deres det
dette di din disse ditt du eg ein eit eller en enn er et ett etter for fordi fra før ha hadde han
hans har henne hennes her hun hva hvem hver hvilke hvilken hvilket hvis hvor hvordan hvorfor i
ikke ikkje ingen inn inni ja jeg kan kom korleis kun kunne kva kvar kven kvifor man mange me med
meg meget mellom men mi min mine mitt mye mykje ned no noe noen nå når og også om opp oss over på
samme seg selv si siden sin sine sitt sjøl skal skulle slik so som så sånn til um upp ut uten var
vart ved vere vi vil ville vår være vært å åssen hvordan hvorda koss korsen ka kå kor ke hæ hei
hallo takk vær snill gjerne fortelle forklare vet veit vite lurer lurte lure får få fikk går gå
gjør gjøre jo vel nok litt egentlig altså liksom sånt mye ønsker trenger
noe noen noko nokon ingenting alt ting tingen greia greit typ hele helt kanskje mulig tror tenker
sier sa si sagt gjort gjorde lage laget lager går gikk dra drar kommer komme fått har hatt nå no
her der hit dit idag igår imorgen igjen fortsatt ennå allerede enda akkurat bare så jo vel nei ja
ok okei folk
to tre fire fem seks sju syv åtte ni ti tjue tretti
"""

_PL = """
komu kogo czyj czym dokąd dokad skąd skad
a aby ale albo ani bardzo bez bo by być był była było byli czy co czego czemu dla do dlaczego gdy
gdzie i ich im ja jak jaki jaka jakie jest jestem jeśli jego jej już kiedy kto która które który
ktoś lub ma mam mi mnie mną moja moje mój moim może można mu na nad nam nas nie nim niż o od oraz
po pod przez przy się są ta tak tam te tego tej ten też to tu ty tylko u w we wszystko z za ze że
chcę chce chciałbym chciałabym proszę dzień dobry cześć mogę musze muszę trzeba jakoś sie
mojego mojej moich moim moimi moją mojemu twój twoja twoje twojego twojej twoich twoim swój swoja
swoje swojego swojej swoich swoim mój mnie mi mną ciebie cię tobie nim nią niego niej ich jego
jej ona ono oni one my wy nas wam was nam mamy macie mają ma mam masz może mogą możesz możemy
musi musisz musimy można być będzie będę jest są był była było były jestem jesteś jakie jaką
jakiego
jakich którą którego której których kiedy gdzie ile czemu co jak jaki czy to ten ta te tego tej tym
taki taka takie tutaj teraz już jeszcze też także żeby aby bo więc ale albo lub oraz
coś cos nic nikt ktoś ktos kogoś kogos czegoś czegos jakiś jakis jakaś jakas jakieś jakies wiem
wiesz wie wiedzieć wiedziec zrobić zrobic robić robic zrobię zrobie chciałem chcialem chciałam
chcialam chciał chcial chcą chca mogę moge mógłbym moglbym możecie mozecie no dobra ok kurde kurcze
jakoś jakos sobie siebie jeszcze tylko teraz dzisiaj dziś dzis jutro wczoraj tutaj tu tam zawsze
nigdy coraz trochę troche bardzo strasznie naprawdę naprawde
jeden jedna jedno dwa dwie dwóch dwoch trzy trzech cztery czterech pięć piec pięciu pieciu sześć
szesc siedem osiem dziewięć dziesięć dwadzieścia
"""

_LT = """
kam kuriam kuriai kieno kokiu
ir ar bet kad kai kur kas ko kaip kodėl koks kokia kokie kiek į iš su be per prie nuo iki apie už
po prieš tarp aš tu jis ji mes jūs jie jos mano tavo savo man tau mane tave jo jų čia ten tai
šis ši tas ta yra buvo bus būti gali galiu galima reikia noriu nori ne taip labai dar jau tik
o arba nei net lyg prašau ačiū labas sveiki
mano mūsų jūsų jo jos jų man mums jums jam jai jiems manęs mane mus jus jį ją juos tavęs tavim
esu esi yra esame esate buvo būtų bus galiu gali galime galite galėčiau reikia reikėtų noriu nori
norėčiau norime kokį kokią kokios kokių kuris kuri kurie kurios kuo kada kodėl ar gi gal
kažką kazka kažkas kazkas kažko kazko nieko niekas viską viska viskas čia cia ten dabar šiandien
siandien rytoj vakar vėl vel irgi taip pat žinau zinau žinoti zinoti nežinau nezinau daryti
padaryti darau darom galėtų galetu galėčiau galeciau norėčiau noreciau norėjau norejau kodel kokia
koks ka ką kur kada sau savęs saves labai truputį truputi visada niekada tikrai
vienas viena du dvi trys trijų keturi keturių penki penkių šeši septyni aštuoni devyni dešimt
dvidešimt
"""

_RO = """
cui căruia cărei încotro incotro
a ai al ale am ar are as au ca care ce cel cum când cand de din după dupa e este eu el ea ei ele
fi fie în in la le lor lui mai mă ma me mi mea meu mei noi nu o pe pentru poate pot putea prin
să sa se si și sunt sau spre tu un una unde unei unui vă va voi vrea vreau cine ce câți cati
câte cate care ceva cineva doar foarte bună buna salut mulțumesc multumesc vă rog chestie chestia
chestii chestiile
meu mea mei mele tău ta tăi tale său sa săi sale nostru noastră noștri noastre vostru voastră
lor lui ei îmi imi îți iti își isi ne vă va mi ți ti îl il o îi ii le sunt ești esti este suntem
sunteți sunteti era fost fi pot poți poti poate putem puteți puteti pută vreau vrei vrea vrem
vreți vor trebuie aș as ai ar am ați ati cât cat când cand unde cum ce cine care acum aici
nimic nimeni totul tot toate ceva cineva aici acolo acum azi astăzi astazi mâine maine ieri iar
încă inca deja mereu niciodată niciodata știu stiu știi stii nu știu face fac faci facă faca făcut
facut zice zic spune spui să sa da ok bine păi pai deci chiar foarte puțin putin tare ăsta asta ăla
aia ceea ceilalți
unu doi două doua trei patru cinci șase sase șapte sapte opt zece douăzeci douazeci
"""

_AR = """
في من إلى الى على عن مع هل ما ماذا متى أين اين كيف لماذا كم أي اي هذا هذه ذلك تلك هو هي هم أنا
انا أنت انت نحن أريد اريد أستطيع استطيع يمكن يمكنني ممكن لي لك له لها كان يكون أو او و ثم لا لم
لن قد كل بعض عند بين حتى إذا اذا إن ان أن التي الذي الذين يا من فضلك شكرا مرحبا السلام عليكم
شو ايش إيش وين فين ليش ليه كيفاش كيفية امتى إمتى متي بدي بدّي ابي أبي ابغى أبغى ابغي عايز عاوز
اريد ودي حابب ممكن يصير اقدر أقدر نقدر يقدر لازم هاد هذا هذي هاي هيدا عشان علشان لأن لان
شي شيء شئ حاجه حاجة اشي إشي كل كله حد احد أحد واحد هنا هناك هون هنايا هنيا الحين دلوقتي دحين هلق
هلا توا اليوم بكره بكرة امبارح امس أمس برضو كمان بس يعني طيب اوكي خلاص والله يا ريت انا احنا إحنا
نحنا انتو انتم أنتم هما هم اللي الي إلي ايه إيه اش آش واش علاش مين منو ازاي إزاي كيف شلون وش اعمل
أعمل اسوي أسوي نعمل نسوي يعمل يسوي اسوي اعرف أعرف نعرف عارف
قديش قداش أديش اديش بقديش كام بكام شحال قداش فيني فيك فينا بقدر بقدرش بنفع ينفع يصح مش مو مب
ماشي عم عمال رح راح حابة حابه بدنا بدك بدو عايزة عايزه عاوزة عاوزه باغي بغيت ابغا نبي نبغى
منيح مليح كويس كويسة زين تمام كاين كاينة كاينه كاينين فيه فيها عندي عندك عندنا معي وياي ليا
هيك هيكا كده كدا كذا كتير كثير شوي شوية شويه حدا حدن
واحد واحدة اثنين اثنان اتنين ثلاث ثلاثة تلات تلاتة اربع أربع اربعة أربعة خمس خمسة ست ستة سبع
سبعة ثماني ثمانية تسع تسعة عشر عشرة عشرين
"""

_NB_NEIGHBOURS = """
att och jag inte till nu vad från mig bara hur alla vill sig vara där finns dig hade ju mycket in
gör efter göra detta också allt hon måste även någon andra något kanske vid två varför många hela
sen utan väl fick säger aldrig varit blev rätt sedan själv behöver några af hvad ud noget lige op
bliver havde mere lidt vores end ind gør mod blive igen os fik nogle
är
"""
"""Swedish and Danish small words on the Norwegian kiosk, where people write them too ("Hur
ordnar jag ett besök?"). Evidence, not a hand list: the 120 most frequent words of each
language in wordfreq 3.1.1, less the Norwegian stopwords, digits and every word the
Norwegian rulebook uses ("dom", "år" stay words), the country names, and "været" and
"have", which are Norwegian words too (the weather, a garden). "är" (is), left out at
first since without accents it is "år" (year), is back: stopwords are matched as typed,
so "år" stays a word, and "Är det farligt i fängelset?" is no question about years. Only
"ar" typed without the ring is lost."""

_NB_SNOWBALL = """
båe deim deira deires dykk dykkar då eitt elles hennar hjå ho hoe honom hoss hossen ingi inkje
korso kvarhelst kvi medan mot noka nokor nokre sia sidan somme somt varte verte vore vors vort
"""
"""The words of the Snowball project's Norwegian stopword list (as Whoosh ships it) that ours
lacked, most of them Nynorsk, which people write too: "ho" (she), "hennar", "dykk",
"sidan". "Kvifor gjorde ho det?" matched a complaint about staff through "ho".
tests/test_analysis.py checks that every word of that list is a stopword here."""

_SV_SNOWBALL = """
blivit denna deras dess dessa dina ej era ert för här icke inom kunde när samma sådan sådana
sådant varje vars vem vilkas vilket våra vårt än åt över
"""
"""The words of the Snowball project's Swedish stopword list (as Whoosh ships it) that ours
lacked, less those the Norwegian rulebook uses ("under", "mellan", and the Swedish of its
phrasings: "mina", "vilken"). "Vem kan besöka mig?" (who can visit me) had "vem" as a word
the rulebook never uses, so it looked half off topic. tests/test_analysis.py checks that
every other word of that list is a stopword here."""

_RAW = {
    "en": _EN,
    "nb": _NB + _NB_NEIGHBOURS + _NB_SNOWBALL + _SV_SNOWBALL,
    "pl": _PL,
    "lt": _LT,
    "ro": _RO,
    "ar": _AR,
}

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(text.split()) for lang, text in _RAW.items()
}


# ---- spelling: letters people write for the same sound (a cheap typo) ---------------------

SOUND_ALIKE = (
    # Latin letters, as the kiosk's languages spell the same sound (folded, no accents).
    "cs",
    "ck",
    "kq",
    "sz",
    "cz",
    "xs",
    "iy",
    "ij",
    "jy",
    "uw",
    "vw",
    "fv",
    "ae",
    "ei",
    "ou",
    "uy",
    "dt",
    "bp",
    "gk",
    "gj",
    "mn",
    # Arabic letters people confuse in writing or that dialects pronounce alike.
    "سص",
    "تط",
    "دذ",
    "ذز",
    "زظ",
    "ضظ",
    "ضد",
    "حه",
    "هة",
    "كق",
    "قء",
    "اأ",
    "اإ",
    "اآ",
    "يى",
    "ثس",
)

# Letters that only some of the kiosk's languages use: a strong hint of the language.
LETTER_HINTS = {
    "nb": set("æøå"),
    "pl": set("ąćęłńśźż"),
    "lt": set("ėįųūčšž"),
    "ro": set("ăâîșțşţ"),
}


# ---- the kiosk's own unit type (see kiosk/search/units.py) --------------------------------

OWN_UNIT_WORDS: dict[str, dict[str, str]] = {
    "open": {
        "nb": "åpen åpne åpent",
        "en": "open",
        "pl": "otwarty otwartym otwartego otwarta otwartej otwartą",
        "lt": "atviras atvira atviro atvirame atvirasis atvirąjį atvirajame atvirajam",
        "ro": "deschis deschisă deschise deschisul",
        "ar": "مفتوح المفتوح مفتوحة المفتوحة",
    },
}


UNIT_NOUNS: dict[str, str] = {
    "nb": "avdeling avdelingen avdelinga",
    "en": "unit wing department section",
    "pl": "oddział oddziale oddziału oddzial",
    "lt": "skyrius skyriuje skyriaus skyrių",
    "ro": "secție secția secţia sectia secții",
    "ar": "قسم القسم",
}
"""Said with an own-unit word ("åpen avdeling", "open unit"), the noun is part of the name."""


# ---- small talk ------------------------------------------------------------------------------

# Words people add around a phrase that do not change it ("hello there!", "thanks :)").
SMALLTALK_FILLER = frozenset(
    [
        "please",
        "pls",
        "plz",
        "kiosk",
        "bot",
        "ok",
        "okay",
        "oki",
        "okei",
        "okej",
        "dobrze",
        "gerai",
        "bine",
        "prosze",
        "prasau",
    ]
)


ARITHMETIC_OPERATORS = (
    "times",
    "multiplied",
    "divided",
    "plus",
    "minus",
    "ganger",
    "gange",
    "delt",
    "dividert",
    "pluss",
    "razy",
    "pomnozone",
    "podzielone",
    "dzielone",
    "podzielic",
    "kart",
    "padalinti",
    "padalint",
    "padauginti",
    "ori",
    "inmultit",
    "impartit",
    "supra",
    "ضرب",
    "مضروب",
    "زائد",
    "زايد",
    "ناقص",
    "تقسيم",
    "قسمه",
)

ARABIC_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ف", "ل")
"""Joined to the front of an Arabic word: "and the", "with the", "the", "and", "for"..."""

# ---- words that say nothing on a prison kiosk (RankingParams.filler_word_weight) -----------

PRISON_WORDS: dict[str, str] = {
    "nb": "fengsel fengselet fengsla fengslet fengsler fengslene soning sone soner soningen "
    "innsatt innsatte innsattes fange fanger fangen fangene kriminalomsorgen anstalt fangenskap "
    "fängelse fängelset intagen intagna fånge fångar kriminalvården anstalten domfelt domfelte "
    "domfelde",
    "en": "prison prisons prisoner prisoners inmate inmates jail jails gaol convict convicts "
    "incarcerated incarceration detainee detainees offender offenders correctional "
    "penitentiary",
    "pl": "więzienie więzienia więzieniu więzień więźnia więźniowie więźniów osadzony osadzonego "
    "osadzeni osadzonych osadzonemu zakład karny zakładzie karnym areszt areszcie odsiadka "
    "skazany skazanego skazanemu skazani skazanych",
    "lt": "kalėjimas kalėjime kalėjimo kalinys kaliniai kalinio kalinių nuteistasis nuteistieji "
    "nuteistojo įkalintas",
    "ro": "închisoare închisoarea închisori penitenciar penitenciarul penitenciarului deținut "
    "deținutul deținuți deținuții deținutului detinut detinutul detinuti inchisoare puscarie "
    "pușcărie pușcăria condamnat condamnatul condamnați condamnații",
    "ar": "سجن السجن سجين السجين السجناء سجناء المسجون مسجون المساجين مساجين نزيل النزيل نزلاء "
    "النزلاء الحبس حبس محبوس المحبوس المحكوم محكوم",
}
"""Everybody on a prison kiosk is in prison: these words tell no article from another."""

RELATIVE_WORDS: dict[str, str] = {
    "nb": "sønn sønnen sønnene datter dattera datteren mann mannen kone kona samboer samboeren "
    "kjæreste kjæresten bror broren søster søstera pappa far faren mor mora mamma familie "
    "familien familiemedlem pårørende kjære",
    "en": "son sons daughter husband wife partner boyfriend girlfriend brother sister dad father "
    "mum mom mother family relative relatives loved ones fiance fiancee member members",
    "pl": "syn syna synem córka córki mąż męża żona żony partner partnera chłopak chłopaka "
    "brat brata siostra siostry ojciec ojca matka matki mama rodzina rodziny bliski bliskiego "
    "bliskich członek członka członkowie członkiem",
    "lt": "sūnus sūnaus sūnui dukra dukros vyras vyro žmona žmonos brolis brolio sesuo sesers "
    "tėvas tėvo motina mama šeima šeimos artimasis artimieji artimojo narys nariai nario",
    "ro": "fiul fiului fiica fiicei soțul soțului soția soției sotul sotia fratele fratelui "
    "sora surorii tata tatăl mama mamei familia familiei rudă ruda rudele iubitul iubita membru "
    "membrul membrii",
    "ar": "ابني ابنى ابن زوجي زوجى زوج زوجتي زوجة أخي اخي أخ اخ أختي اختي أبي ابي أمي امي "
    "والدي والدتي عائلتي العائلة اهلي أهلي قريبي",
}
"""A relative's wording ("my son", "my husband") asks about the same subject as the
inmate's own: the relation says who asks, not what about."""
