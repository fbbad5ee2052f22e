"""Summary and generated headlines, taken from the article's own sentences.

`summarize`: the lede, i.e. the first sentence(s) of the first real paragraph, at most ~300
characters, cut at a word, without an agency dateline ("الرباط 7 يونيو 2016/ومع/").

`generate_title` (only for articles that have no headline), cascade:

1. Take the lede's first sentence, without its dateline.
2. Reported speech ("قال/أكد/أعلن … إن/أن …"): "<speaker>: <claim>", where the speaker is the
   person's surname when the subject names one ("وزير الداخلية عبد الوافي لفتيت" → "لفتيت"),
   otherwise the subject's first words; time and place asides between commas are dropped.
3. Otherwise the main clause: comma-separated asides that only say when or where are dropped,
   a leading circumstance ("في ساعات متأخرة من مساء يوم أمس") is skipped, and a clause left
   hanging ("تمكنت الشرطة …") is joined to the segment that completes it ("من إجهاض …").
   An outlet reporting what it learned ("علمت الأحداث المغربية أن …") is not the speaker: the
   claim alone is the title.
4. The result is cut at `MAX_TITLE_WORDS` words, at a clause boundary when one is near, and
   never ends on a dangling function word ("من", "على", "كل") or the first half of a name
   ("عبد", "أبو"), nor cuts a Latin-script run ("The Guardian") in two.
5. A title never starts with punctuation or a connective ("كما", "إذ"); a speaker is never an
   adjective alone ("البريطانية"): a speaker that is not a person keeps its whole name
   ("صحيفة The Guardian البريطانية").
"""

from __future__ import annotations

import re

MAX_TITLE_WORDS = 12
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")
_DATELINE = re.compile(r"^[^.،,]{0,60}?/\s*(?:ومع|و\.م\.ع|واع|وات|واج|أ ف ب|ا ف ب|قنا|وام|سبأ)\s*/\s*")
_QUOTES = "\"'“”«»‘’„›‹ \u00a0"
_SPEECH = re.compile(
    r"^(?:و|ف)?(?:قال|قالت|أكد|أكدت|اكد|اكدت|أعلن|أعلنت|اعلن|اعلنت|كشف|كشفت|أفاد|أفادت|أوضح|أوضحت|"
    r"شدد|شددت|اعتبر|اعتبرت|صرح|صرحت|ذكر|ذكرت|أبرز|أبرزت|حذر|حذرت|نفى|نفت|أشار|أشارت)\s+(.+)$"
)
# "علمت <outlet> أن …": the outlet's own scoop; the claim is the news.
_SELF_REPORT = re.compile(r"^(?:و|ف)?(?:علمت|علم|اطلعت|حصلت|تلقت)\s+(.+)$")
_THAT = re.compile(r"(?:^|\s|،)(?:إن|أن|بأن|إنه|أنه|إنها|أنها|إنّ|أنّ)(?=\s|[«“\"])")
_ROLE = re.compile(
    r"^(?:ال)?(?:وزير|وزيرة|رئيس|رئيسة|مدير|مديرة|مساعد|مستشار|ناطق|متحدث|المتحدث|سفير|نائب|قائد|"
    r"الأمين|أمين|والي|عامل|زعيم|ممثل|مبعوث|المنسق|منسق|محافظ|عمدة|الملك|العاهل|أمير)"
)
_TIME = re.compile(
    r"(?:^|\s)(?:اليوم|أمس|امس|غدا|صباح|مساء|ظهر|زوال|ليلة|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|"
    r"الجمعة|السبت|الأحد|الساعات|ساعات|يوم|يومه)(?:\s|$)"
)
_WEEKDAY = r"(?:الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد)"
# "أمس الإثنين 04 فبراير 2019", "اليوم /الإثنين/", "زوال يومه الثلاثاء 28مارس" (Maghrebi يومه =
# today), "مساء الإثنين": when, not what; dropped from generated titles. A day and a word after
# a weekday are its date, also when glued ("28مارس").
_TIME_PHRASE = re.compile(
    r"\s*(?:(?:صباح|مساء|زوال|ظهر|ليلة|عشية)\s+)?(?:يومه?\s+)?"
    r"(?:(?:اليوم|أمس|امس|غدا)(?:\s*/?\s*" + _WEEKDAY + r"/?)?|/?" + _WEEKDAY + r"/?)"
    r"(?:\s+\d{1,2}\s*[^\s\d،,.]+(?:\s+\d{4})?)?(?!\w)"
)
_CIRCUMSTANCE = re.compile(r"^(?:تزامنا|بالتزامن|في إطار|على هامش|في ساعات|خلال|بعد|قبل|عقب|في سياق|في وقت)\b")
_RELATIVE = re.compile(r"^و?(?:الذي|التي|الذين|اللواتي|اللاتي|اللذين|اللتين)\s")
_NEEDS_OBJECT = re.compile(r"^(?:و|ف)?(?:تم|جرى|يتم|سيتم)$")
_NEEDS_MIN = re.compile(r"^(?:و|ف)?(?:تمكن|تمكنت|تمكنوا|مكن|مكنت)\s")
_DANGLING = frozenset(
    "في من على إلى الى عن مع بين بعد قبل عند حول خلال منذ حتى دون ضد لدى أو أم ثم إن أن كل بكل "
    "الذي التي الذين و ف ب ل ك لا لم لن قد ما بما مما كما وفي ومن وعلى وإلى عبر نحو ضمن تحت فوق "
    # the first half of a compound name: "عبد القادر", "أبو بكر", "ابن كيران", "مولاي حفيظ"
    "عبد أبو أبي ابو ابي بن ابن بنت آل ال ولد مولاي سيدي".split()
)
# A title never opens with these (a connective or a dangling modifier left by a cut).
_LEADING = frozenset("كما إذ اذ حيث لكن لكنه بينما ثم أيضا ايضا كذلك فيما وقد قد".split())
_LEADING_PUNCT = "-–—_:：،,؛;.…!?؟)]}»”’|/\\ \u00a0"
_LATIN = re.compile(r"[A-Za-z]")
# Nouns for speakers that are not people: their whole name is the speaker, not its last word.
_BODY = re.compile(
    r"^(?:ال)?(?:صحيفة|جريدة|يومية|مجلة|وكالة|موقع|قناة|إذاعة|شبكة|مصادر|مصدر|بيان|بلاغ|تقرير|"
    r"منظمة|هيئة|لجنة|وزارة|مديرية|مجلس|حزب|حركة|جمعية|نقابة|شركة|مؤسسة|مكتب|السلطات|الحكومة|الرئاسة)$"
)
_NOT_VERBS = frozenset({"يوم", "يونيو", "يوليو", "يوليوز", "يناير", "يوما"})


def _strip_dateline(text: str) -> str:
    return _DATELINE.sub("", text, count=1).strip()


def _lede(paragraphs: list[str]) -> str:
    """The first paragraph that reads as prose (subheadings and one-line captions skipped)."""
    for text in paragraphs:
        if len(text.split()) >= 8:
            return _strip_dateline(text)
    return _strip_dateline(paragraphs[0]) if paragraphs else ""


def summarize(paragraphs: list[str], limit: int = 300) -> str:
    """The lede: first sentence(s) of the first real paragraph, at most `limit` characters."""
    text = _lede(paragraphs)
    out = ""
    for sentence in _SENTENCE_END.split(text):
        if out and len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    if len(out) > limit:
        out = out[:limit].rsplit(" ", 1)[0].rstrip("،,;؛: ") + "…"
    return out


def generate_title(paragraphs: list[str], limit: int = MAX_TITLE_WORDS) -> str:
    """A readable headline for an untitled article, made from its lede."""
    lede = _lede(paragraphs)
    if not lede:
        return ""
    sentence = _SENTENCE_END.split(lede)[0].strip()
    title = _self_report_title(sentence, limit) or _speech_title(sentence, limit)
    return _tidy(title or _trim(_main_clause(sentence), limit))


def _self_report_title(sentence: str, limit: int) -> str:
    """The claim of "علمت <outlet> أن <claim>", else ""."""
    m = _SELF_REPORT.match(sentence)
    that = _THAT.search(m.group(1)) if m else None
    if not that or len(m.group(1)[: that.start()].split()) > 5:
        return ""
    claim = _untimed(m.group(1)[that.end():]).strip(_QUOTES + "،,")
    return _trim(claim, limit) if len(claim.split()) >= 3 else ""


def _untimed(text: str) -> str:
    """The text without its time phrases ("الإثنين 3 يونيو", "أمس")."""
    return " ".join(_TIME_PHRASE.sub(" ", text).split())


def _tidy(title: str) -> str:
    """No leading punctuation or connective."""
    words = title.lstrip(_LEADING_PUNCT).split()
    while len(words) > 3 and words[0] in _LEADING:
        words.pop(0)
    return " ".join(words).lstrip(_LEADING_PUNCT)


def _segments(text: str) -> list[str]:
    """Comma-separated segments, time phrases removed; a segment left with one or two words
    ("تم") is joined to the next one."""
    out: list[str] = []
    carry = ""
    for seg in re.split(r"\s*[،,]\s*", text):
        seg = " ".join(_TIME_PHRASE.sub(" ", seg).split())
        if not seg:
            continue
        seg = f"{carry} {seg}".strip() if carry else seg
        carry = ""
        if len(seg.split()) <= 2 and not out and _NEEDS_OBJECT.match(seg):
            carry = seg
            continue
        out.append(seg)
    if carry:
        out.append(carry)
    return out


def _speech_title(sentence: str, limit: int) -> str:
    """ "<speaker>: <claim>" for a lede that reports speech, else ""."""
    m = _SPEECH.match(sentence)
    if not m:
        return ""
    rest = m.group(1)
    that = _THAT.search(rest)
    if not that or that.start() == 0:
        return ""
    subject, claim = rest[: that.start()], rest[that.end():]
    speaker = _speaker(subject)
    claim = _untimed(claim).strip(_QUOTES + "،,")
    if not speaker or len(claim.split()) < 3:
        return ""
    room = max(4, limit - len(speaker.split()))
    return f"{speaker}: {_trim(claim, room)}"


def _speaker(subject: str) -> str:
    """Who speaks: a surname when the subject names a person, otherwise its first words."""
    segments = [_before_time(s) for s in _segments(subject)]
    segments = [s for s in segments if s]
    if not segments:
        return ""
    first = segments[0].split()
    if _BODY.match(first[0]) and len(first) <= 5:
        return segments[0]  # "صحيفة The Guardian البريطانية", "مصادر أمنية"
    if _ROLE.match(first[0]):
        # "وزير الداخلية عبد الوافي لفتيت" or "الوزير المنتدب …، مصطفى الخلفي،"
        for seg in segments[1:]:
            words = seg.split()
            if 2 <= len(words) <= 3 and not _ROLE.match(words[0]) and not words[0].startswith(("ب", "في")):
                return words[-1]
        if not first[-1].startswith("ال") and len(first) >= 3:
            return first[-1]
        return " ".join(first[:5])
    # "الفريق فلاح الكيناني" or "مولاي حفيظ العلمي وزير الصناعة …": the name comes first.
    name = []
    for word in first:
        if _ROLE.match(word) or _TIME.search(f" {word} "):
            break
        name.append(word)
    if not name:
        return " ".join(first[:3])
    if _LATIN.search(name[-1]) or _adjective(name[-1]):
        return " ".join(name[:5])  # a Latin name or an adjective is not a surname on its own
    return name[-1]


def _adjective(word: str) -> bool:
    """A definite feminine or plural nisba ("البريطانية", "الأمنية"): a modifier, never a name
    alone. (The masculine form is also a surname: "العثماني".)"""
    return word.startswith("ال") and word.endswith(("ية", "يه", "يون", "يين"))


def _before_time(segment: str) -> str:
    """The segment up to its first time word ("… الرقمي اليوم الثلاثاء بمدريد" → "… الرقمي")."""
    m = _TIME.search(f" {segment} ")
    return segment[: max(0, m.start() - 1)].strip() if m else segment


def _main_clause(sentence: str) -> str:
    """The sentence's main clause, without time/place asides or a leading circumstance."""
    segments = _segments(sentence)
    if len(segments) > 1 and (_CIRCUMSTANCE.match(segments[0]) or _TIME.search(f" {segments[0]} ")):
        segments = segments[1:]
    segments = [s for s in segments if not _RELATIVE.match(s)] or segments
    head = segments[0]
    if _NEEDS_MIN.match(head):
        # "تمكنت الشرطة …، في الساعات الأولى …، من إجهاض …": join the completing segment.
        for seg in segments[1:]:
            if seg.startswith("من "):
                return f"{head} {seg}"
    if len(head.split()) < 4:
        # "تفاعل ماتيو سالفيني، نائب رئيس الوزراء، مع …": skip the appositive, keep going.
        tail = [s for s in segments[1:] if not _ROLE.match(s.split()[0]) and not _TIME.search(f" {s} ")]
        if tail:
            return f"{head} {tail[0]}"
    return head


def _trim(text: str, limit: int) -> str:
    """At most `limit` words (a few more to finish a clause), cut at a clause boundary when one
    is near; never ending on a dangling word or an unbalanced quote."""
    text = text.strip(_QUOTES)
    words = text.split()
    if len(words) > limit:
        clause = re.split(r"\s*[،,:؛]\s*", text)[0]
        n = len(clause.split())
        if n <= limit + 3:
            words = clause.split()
        else:
            cut = limit
            while cut < len(words) and cut < limit + 3 and _LATIN.search(words[cut - 1]) and _LATIN.search(words[cut]):
                cut += 1  # finish a Latin-script name rather than cut it in two
            words = words[:cut]
            while len(words) > 3 and words[-1].startswith("ي") and words[-1] not in _NOT_VERBS:
                words.pop()  # a clause cut after its verb: "… على المستوى العالي يشمل"
    while len(words) > 3 and (words[-1] in _DANGLING or len(words[-1]) == 1
                              or (words[-1].startswith("ي") and words[-1] not in _NOT_VERBS and len(words) >= limit - 1)):
        words.pop()
    return _balance(" ".join(words).strip(_QUOTES + "،,:؛;."), text)


def _balance(title: str, source: str) -> str:
    """Close a quotation the cut left open: "مؤتمر "ورشة السلام" not "مؤتمر "ورشة السلام."""
    for opening, closing in (('"', '"'), ("«", "»"), ("“", "”")):
        if opening == closing:
            if title.count(opening) % 2:
                title += closing
        elif title.count(opening) > title.count(closing):
            title += closing
    return title
