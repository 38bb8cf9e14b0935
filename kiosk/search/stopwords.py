"""Stopwords per language: function words and the words people wrap a question in.

Question words ("how", "hvordan", "jak") are stopwords here on purpose: they carry no
topic, and leaving them out lets the confidence measure count only the words that
say what the question is about. Lists are lowercase; folded (diacritic-free) forms
are added by the analyzer so "sie" is dropped like "się".
"""

from __future__ import annotations

_EN = """
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
"""

_NB = """
alle at av bare begge ble blei bli blir blitt både da de deg dei dem den denne der dere deres det
dette di din disse ditt du eg ein eit eller en enn er et ett etter for fordi fra før ha hadde han
hans har henne hennes her hun hva hvem hver hvilke hvilken hvilket hvis hvor hvordan hvorfor i
ikke ikkje ingen inn inni ja jeg kan kom korleis kun kunne kva kvar kven kvifor man mange me med
meg meget mellom men mi min mine mitt mye mykje ned no noe noen nå når og også om opp oss over på
samme seg selv si siden sin sine sitt sjøl skal skulle slik so som så sånn til um upp ut uten var
vart ved vere vi vil ville vår være vært å åssen hvordan hvorda koss korsen ka kå kor ke hæ hei
hallo takk vær snill gjerne fortelle forklare vet veit vite lurer lurte lure får få fikk går gå
gjør gjøre jo vel nok litt egentlig altså liksom sånt mye ønsker trenger
"""

_PL = """
a aby ale albo ani bardzo bez bo by być był była było byli czy co czego czemu dla do dlaczego gdy
gdzie i ich im ja jak jaki jaka jakie jest jestem jeśli jego jej już kiedy kto która które który
ktoś lub ma mam mi mnie mną moja moje mój moim może można mu na nad nam nas nie nim niż o od oraz
po pod przez przy się są ta tak tam te tego tej ten też to tu ty tylko u w we wszystko z za ze że
chcę chce chciałbym chciałabym proszę dzień dobry cześć mogę musze muszę trzeba jakoś sie
mojego mojej moich moim moimi moją mojemu twój twoja twoje twojego twojej twoich twoim swój swoja
swoje swojego swojej swoich swoim mój mnie mi mną ciebie cię tobie nim nią niego niej ich jego
jej ona ono oni one my wy nas wam was nam mamy macie mają ma mam masz może mogą możesz możemy
musi musisz musimy można być będzie będę jest są był była było były jestem jesteś jakie jaką jakiego
jakich którą którego której których kiedy gdzie ile czemu co jak jaki czy to ten ta te tego tej tym
taki taka takie tutaj teraz już jeszcze też także żeby aby bo więc ale albo lub oraz
"""

_LT = """
ir ar bet kad kai kur kas ko kaip kodėl koks kokia kokie kiek į iš su be per prie nuo iki apie už
po prieš tarp aš tu jis ji mes jūs jie jos mano tavo savo man tau mane tave jo jų čia ten tai
šis ši tas ta yra buvo bus būti gali galiu galima reikia noriu nori ne taip labai dar jau tik
o arba nei net lyg prašau ačiū labas sveiki
mano mūsų jūsų jo jos jų man mums jums jam jai jiems manęs mane mus jus jį ją juos
esu esi yra esame esate buvo būtų bus galiu gali galime galite galėčiau reikia reikėtų noriu nori
norėčiau norime kokį kokią kokios kokių kuris kuri kurie kurios kuo kada kodėl ar gi gal
"""

_RO = """
a ai al ale am ar are as au ca care ce cel cum când cand de din după dupa e este eu el ea ei ele
fi fie în in la le lor lui mai mă ma me mi mea meu mei noi nu o pe pentru poate pot putea prin
să sa se si și sunt sau spre tu un una unde unei unui vă va voi vrea vreau cine ce câți cati
câte cate care ceva cineva doar foarte bună buna salut mulțumesc multumesc vă rog
meu mea mei mele tău ta tăi tale său sa săi sale nostru noastră noștri noastre vostru voastră
lor lui ei îmi imi îți iti își isi ne vă va mi ți ti îl il o îi ii le sunt ești esti este suntem
sunteți sunteti era fost fi pot poți poti poate putem puteți puteti pută vreau vrei vrea vrem
vreți vor trebuie aș as ai ar am ați ati cât cat când cand unde cum ce cine care acum aici
"""

_AR = """
في من إلى الى على عن مع هل ما ماذا متى أين اين كيف لماذا كم أي اي هذا هذه ذلك تلك هو هي هم أنا
انا أنت انت نحن أريد اريد أستطيع استطيع يمكن يمكنني ممكن لي لك له لها كان يكون أو او و ثم لا لم
لن قد كل بعض عند بين حتى إذا اذا إن ان أن التي الذي الذين يا من فضلك شكرا مرحبا السلام عليكم
شو ايش إيش وين فين ليش ليه كيفاش كيفية امتى إمتى متي بدي بدّي ابي أبي ابغى أبغى ابغي عايز عاوز
اريد ودي حابب ممكن يصير اقدر أقدر نقدر يقدر لازم هاد هذا هذي هاي هيدا عشان علشان لأن لان
"""

_RAW = {"en": _EN, "nb": _NB, "pl": _PL, "lt": _LT, "ro": _RO, "ar": _AR}

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(text.split()) for lang, text in _RAW.items()
}
