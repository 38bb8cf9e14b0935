"""Numbers written as words, per language: the unanswered-question log masks them like
digits, since "five five one two" is a phone number and "ab four" a cell.

Cardinal numbers 0-20, the tens, hundred and thousand (no ordinals: "first days" is no
number), and the forms people type without diacritics (added below), written from the
languages' standard grammars; Norwegian counts both ways (tjue, tjuge), Arabic includes
common spoken forms. Words that are also everyday words in the same language ("en" in
Norwegian, "un"/"o" in Romanian, "du" in Lithuanian) are left out: the log keeps those,
and a single one says nothing about a person. Per language, since one language's number
is another's everyday word (Norwegian "to", English "to").
"""

from __future__ import annotations

import functools
import unicodedata

_NUMBER_WORDS = {
    "en": """
zero nought one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fourty fifty
sixty seventy eighty ninety hundred thousand million double triple oh
""",
    "nb": """
null ett to tre fire fem seks sju syv åtte ni ti elleve tolv tretten fjorten femten
seksten sytten atten nitten tjue tjuge tretti førti femti seksti sytti åtti nitti hundre
tusen million
""",
    "pl": """
zero jeden jedna jedno dwa dwie dwóch trzy trzech cztery czterech pięć pięciu sześć
sześciu siedem siedmiu osiem ośmiu dziewięć dziewięciu dziesięć jedenaście dwanaście
trzynaście czternaście piętnaście szesnaście siedemnaście osiemnaście dziewiętnaście
dwadzieścia trzydzieści czterdzieści pięćdziesiąt sześćdziesiąt siedemdziesiąt
osiemdziesiąt dziewięćdziesiąt sto dwieście trzysta czterysta tysiąc tysiące milion
""",
    "lt": """
nulis vienas viena dvi trys trijų keturi keturių penki penkių šeši šešių septyni aštuoni
devyni dešimt vienuolika dvylika trylika keturiolika penkiolika šešiolika septyniolika
aštuoniolika devyniolika dvidešimt trisdešimt keturiasdešimt penkiasdešimt šimtas
šimtai tūkstantis tūkstančiai milijonas
""",
    "ro": """
zero unu doi două trei patru cinci șase șapte opt nouă zece unsprezece doisprezece
douăsprezece treisprezece paisprezece cincisprezece șaisprezece șaptesprezece
optsprezece nouăsprezece douăzeci treizeci patruzeci cincizeci șaizeci șaptezeci
optzeci nouăzeci sută sute mie mii milion
""",
    "ar": """
صفر واحد واحدة اثنين اثنان اتنين ثنين ثلاث ثلاثة تلات تلاتة اربع أربع اربعة أربعة خمس
خمسة ست ستة سبع سبعة ثمان ثماني ثمانية تمن تمنية تسع تسعة عشر عشرة عشرين عشرون ثلاثين
اربعين أربعين خمسين ستين سبعين ثمانين تسعين مية مائة مئة ميه الف ألف مليون
""",
}


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.replace("ł", "l").replace("ø", "o"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def number_words(lang: str) -> frozenset[str]:
    """``lang``'s number words and English ones (typed in any language), lowercase, as
    written and without diacritics."""
    found = set()
    for code in dict.fromkeys((lang, "en")):
        for word in _NUMBER_WORDS.get(code, "").split():
            found.update((word, _fold(word)))
    return frozenset(found)
