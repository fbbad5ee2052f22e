"""Dates stage: Arabic text in, mentions and article date out."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.dates import extract_dates
from builder.errors import BuilderError
from builder.knowledge import Knowledge, load_knowledge
from builder.model import CuratorFacts, DateFacts, Line, Part, PartialDate, Seed

KB = load_knowledge()


def run(*paragraphs: str, published: str | None = None, noise: tuple[str, ...] = ()) -> DateFacts:
    seed = Seed("seeds/t.txt", "t", "\n".join(paragraphs), 1, CuratorFacts(), "0")
    part = Part(seed, 1, 1, None, None,
                tuple(Line(i + 1, p) for i, p in enumerate(paragraphs)),
                tuple(Line(100 + i, n) for i, n in enumerate(noise)))
    return extract_dates(part, PartialDate.parse(published) if published else None, KB)


def mentions(*paragraphs: str, published: str | None = None) -> list[str]:
    return list(run(*paragraphs, published=published).mentions)


@pytest.mark.parametrize("text, expected", [
    # Egyptian / Gulf (CLDR ar)
    ("وقع الاتفاق في 15 أغسطس 2019 بالقاهرة", ["2019-08-15"]),
    ("اجتمع الوزيران يوم 3 ديسمبر 2020", ["2020-12-03"]),
    # Maghrebi (ar_MA), a range whose year is written once
    ("خلال الأسبوع الممتد من 30 يوليوز إلى 5 غشت 2018 .", ["2018-07-30", "2018-08-05"]),
    ("انعقدت القمة في 10 دجنبر 2018 بمراكش", ["2018-12-10"]),
    ("صدر القرار في شتنبر 2017 ونشر في نونبر 2017", ["2017-09", "2017-11"]),
    # Algerian / Tunisian (ar_DZ, ar_TN)
    ("وقعه وزراء خارجية تونس والجزائر ومصر يوم 20 فيفري 2017.", ["2017-02-20"]),
    ("تم ذلك في جانفي 2020 ثم في أوت 2020", ["2020-01", "2020-08"]),
    ("يوم 12 جوان 2019", ["2019-06-12"]),
    # Levantine / Iraqi (ar_SY, ar_IQ, ...)
    ("في 5 كانون الثاني 2020 أعلنت الحكومة", ["2020-01-05"]),
    ("منذ تشرين الأول 2019 وحتى شباط 2020", ["2019-10", "2020-02"]),
    ("في 9 نيسان 2003", ["2003-04-09"]),
    # Mauritanian (ar_MR)
    ("في 12 دجمبر 2019", ["2019-12-12"]),
    # hamza and alef variants, leading clitics
    ("في إبريل 2018 ثم في ابريل 2019", ["2018-04", "2019-04"]),
    ("الموقع من قائدي البلدين بأكتوبر 2024 .", ["2024-10"]),
    ("وفي شهر مارس 2015 عاد", ["2015-03"]),
    # paired forms are one date
    ("منذ 18 حزيران/ يونيو 2018", ["2018-06-18"]),
    ("حتى الثاني من مايو/آيار 2018", ["2018-05-02"]),
    ("في يونيو (حزيران) 2016", ["2016-06"]),
    ("في شباط/فبراير 2018", ["2018-02"]),
    # Eastern Arabic digits
    ("في ٢٠ مارس ٢٠١٥ وقع الهجوم", ["2015-03-20"]),
    # numeric dates
    ("بتاريخ 15/04/2025 صدر البلاغ", ["2025-04-15"]),
    ("بتاريخ 2025-04-15 صدر البلاغ", ["2025-04-15"]),
    ("وفي 4 يونيو من عام 2016 وقع", ["2016-06-04"]),
    # year inherited from the text
    ("زار الرئيس المغرب في يونيو 2016، وزار الملك رواندا في أكتوبر من نفس السنة.", ["2016-06", "2016-10"]),
    ("زار الرئيس المغرب عام 2016.\nوزار الملك رواندا في أكتوبر من السنة نفسها.", ["2016-10"]),
    # two days, one month; two months, one year; a bare month after a preposition
    ("بين 28 فبراير و2 مارس 2019", ["2019-02-28", "2019-03-02"]),
    ("من 20 دجنبر إلى 3 يناير 2019", ["2018-12-20", "2019-01-03"]),
    ("في مايو ويونيو 2019", ["2019-05", "2019-06"]),
    ("تراجعت الأرقام في مارس", ["--03"]),
    ("التي تحتضنها المنامة يومي 25 و26 يونيو 2019.", ["2019-06-25", "2019-06-26"]),
])
def test_calendar_families_and_forms(text: str, expected: list[str]) -> None:
    assert mentions(*text.split("\n")) == expected


@pytest.mark.parametrize("text, expected", [
    # stored text often lost the space between a day, a month, a year or a relative word
    ("أعلن الوزير زوال يومه الثلاثاء 28مارس بالحسيمة", ["--03-28"]),
    ("منذ يوم 22 فبرايرالماضي", ["--02-22"]),
    ("في مارس2017 وقع الهجوم", ["2017-03"]),
    ("في 3 و4مايو 2019", ["2019-05-03", "2019-05-04"]),
    ("في يونيو المقبل", ["--06"]),
    # ...but a month name inside a longer word stays a word
    ("قال مارسيل الماضي في الفريق", []),
    ("التقى 28مارسيليا", []),
    ("في مارسالفريق", []),
])
def test_glued_forms(text: str, expected: list[str]) -> None:
    assert mentions(text) == expected


@pytest.mark.parametrize("text", [
    "منذ الإطاحة بالرئيس عام 2011.",
    "ما بين عامي ٢٠١٥ و٢٠١٦ تراجعت الهجمات",
    "مفتي الجمهورية الأسبق (2001-2011)",
    "افتتاح أشغال الدّورة 19 للجنة المتابعة",
    "توقيف مواطن إيطالي يبلغ من العمر 56 سنة",
    "أطفال الشوارع بالدائرة 18 الباريسية",
    "000 34PX8EU",
    "للاتصال: 0522-12-34-56 أو +212 661 12 34 56",
    "الملف رقم 2019/1234 والقرار 15/2018",
    "استضافة كأس العالم 2026 على مدار 34 يوما",
    "حصلت على 134 صوتا مقابل 65 صوتا",
    "خرج شباب حركة 20 فبراير إلى الشوارع",
    "مارس الضغط على الحكومة وهو أب لثلاثة أطفال",
    "اشترى سيارة نيسان جديدة",
    "قال حميد شباط بعد شباط آخر",
    "صدر القرار رقم 12/03/2018 عن المجلس",
    "بتاريخ 32/13/2020 حسب الوثيقة",
])
def test_not_dates(text: str) -> None:
    assert mentions(text) == []


def test_yearless_stays_yearless_without_a_reference() -> None:
    assert mentions("وقع البلدان في غشت الماضي على اتفاقية") == ["--08"]
    assert mentions("زوال الأربعاء 29 ماي الجاري") == ["--05-29"]
    assert mentions("وفي مارس الماضي، تم التوقيع") == ["--03"]


@pytest.mark.parametrize("text, published, expected", [
    ("وقع البلدان في غشت الماضي على اتفاقية", "2025-11", ["2025-08"]),
    ("زوال الأربعاء 29 ماي الجاري", "2019-05-31", ["2019-05-29"]),
    ("في الأول من إبريل/ نيسان الجاري", "2018-04-25", ["2018-04-01"]),
    ("في السادس من سبتمبر/أيلول الماضي", "2018-06-06", ["2017-09-06"]),
    ("كما حدث في آذار/مارس الماضي", "2018-05-05", ["2018-03"]),
    ("يوم 10 مارس المقبل", "2019-05-10", ["2020-03-10"]),
    ("في يوليوز المقبل", "2019-05", ["2019-07"]),
    ("في أكتوبر الماضي", "2025-04-14", ["2024-10"]),
    ("في ماي من العام الماضي", "2019-02-01", ["2018-05"]),
    ("منذ 18 يونيو.", "2018-07-22", ["2018-06-18"]),  # no relative word: nearest to publication
    ("في ديسمبر", "2019-01-10", ["2018-12"]),
    ("في 2 مارس، بلغ عدد المهاجرين", "2019-12-20", ["2019-03-02"]),  # a bare day-month is recent...
    ("تنعقد القمة في 15 يناير", "2019-12-20", ["2020-01-15"]),  # ...or at most a month ahead
    ("في مارس الماضي", "2019", ["--03"]),  # a year-only reference cannot place "الماضي"
])
def test_relative_words_resolve_against_publication(text: str, published: str, expected: list[str]) -> None:
    assert mentions(text, published=published) == expected


def test_weekday_fixes_the_year() -> None:
    text = "بعيد لقائهما صبيحة يوم الاثنين 22 أبريل بالرباط."
    assert mentions(text, published="2024-04-22") == ["2024-04-22"]
    assert mentions(text, published="2024-06") == ["2024-04-22"]
    assert mentions(text, published="2025-03-01") == ["2024-04-22"]  # not 2025: 22 April 2025 is a Tuesday
    assert mentions(text, "منذ مونديال قطر 2022 وحتى أولمبياد 2024") == ["2024-04-22"]
    assert mentions(text) == ["--04-22"]  # no year anywhere: every 5-11 years fits


def test_yesterday_with_full_date_dates_the_report() -> None:
    facts = run("تم أمس الإثنين 04 فبراير 2019، استقبال العاملات")
    assert facts.mentions == ("2019-02-04",)
    assert (facts.date, facts.basis) == (PartialDate(2019, 2, 5), "text")


def test_maghrebi_today_dates_the_report() -> None:
    facts = run("أعلن وزير الداخلية زوال يومه الثلاثاء 28 مارس 2017 عن إعفاء العامل")
    assert (facts.date, facts.basis) == (PartialDate(2017, 3, 28), "text")


def test_today_without_a_year_takes_the_weekday_year_near_the_text() -> None:
    text = "أعلن الوزير زوال يومه الثلاثاء 28مارس بالحسيمة"
    facts = run(text, "وكانت المنطقة قد عرفت احتجاجات منذ أكتوبر 2016.")
    assert (facts.date, facts.basis) == (PartialDate(2017, 3, 28), "text")  # 2015, 2016: not a Tuesday
    assert (run(text).date, run(text).basis) == (None, "none")  # no year anywhere
    facts = run("أعلن الوزير يومه الأربعاء 28مارس", "منذ أكتوبر 2016.")  # no Wednesday in 2015-2017
    assert (facts.date, facts.basis) == (None, "none")


def test_weekday_that_contradicts_the_date_dates_nothing() -> None:
    facts = run("تم أمس الثلاثاء 04 فبراير 2019، استقبال العاملات")  # 4 February 2019 was a Monday
    assert facts.mentions == ("2019-02-04",)
    assert (facts.date, facts.basis) == (None, "none")


def test_today_with_weekday_alone_gives_nothing() -> None:
    facts = run("استعرض وزير الداخلية، اليوم الإثنين بالرباط، القضايا المشتركة")
    assert (facts.date, facts.basis, facts.mentions) == (None, "none", ())


def test_today_before_an_announced_event() -> None:
    facts = run("ذكر ناطق، اليوم الاثنين، أن المغرب يشارك في الورشة التي تحتضنها المنامة يومي 25 و26 يونيو 2019.")
    assert (facts.date, facts.basis) == (PartialDate(2019, 6, 24), "text")


def test_weekday_far_from_the_paragraph_dates_gives_nothing() -> None:
    facts = run("افتتح الوزير مساء أمس السبت أشغال اللجنة، استعدادا للجنة الكبرى التي تحتضنها تونس يوم 9 مارس 2017.")
    assert (facts.date, facts.basis) == (None, "none")


def test_old_event_is_not_the_article_date() -> None:
    facts = run("في إطار إعلان الشراكة الموقع من قائدي البلدين في أكتوبر 2024 .")
    assert facts.mentions == ("2024-10",)
    assert (facts.date, facts.basis) == (None, "none")


@pytest.mark.parametrize("text", [
    " AHDATH.INFO- الرباط 7 يونيو 2016/ومع/ تمكنت مصالح المديرية العامة للأمن الوطني، أمس الاثنين، من توقيف سبعة أشخاص",
    "الرباط - 7 يونيو 2016 (ومع) - تمكنت مصالح الأمن من توقيف سبعة أشخاص",
    "الدار البيضاء 7 يونيو 2016 (ومع) - أعلنت المديرية",
    "الرباط في 7 يونيو 2016 (ومع) أعلنت المديرية",
    "باريس (أ ف ب) - 7 يونيو 2016 - أعلنت الشرطة",
])
def test_dateline(text: str) -> None:
    facts = run(text, "فقرة ثانية بلا تاريخ.")
    assert (facts.date, facts.basis) == (PartialDate(2016, 6, 7), "dateline")
    assert facts.mentions == ("2016-06-07",)


def test_sentence_opening_with_a_date_is_not_a_dateline() -> None:
    facts = run("في 7 يونيو 2016، وقعت المواجهات في المدينة")
    assert (facts.date, facts.basis) == (None, "none")
    facts = run("الرباط شهدت يوم 7 يونيو 2016 مسيرة حاشدة")
    assert (facts.date, facts.basis) == (None, "none")
    facts = run("الرباط في 7 يونيو 2016، خرجت مسيرة حاشدة")
    assert (facts.date, facts.basis) == (None, "none")


def test_curator_date_wins_and_keeps_its_precision() -> None:
    facts = run("AHDATH.INFO- الرباط 7 يونيو 2016/ومع/ تمكنت المصالح", published="2016-06")
    assert (facts.date, facts.basis) == (PartialDate(2016, 6), "curator")


def test_noise_lines_are_never_read() -> None:
    facts = run("نص بلا تاريخ.", noise=("اقرأ أيضا: قمة 12 مارس 2019 في تونس",))
    assert facts.mentions == ()


def test_mentions_are_sorted_and_unique() -> None:
    facts = run("في 5 مارس 2019 ثم في 5 مارس 2019 و1 يناير 2019", "في مارس الماضي")
    assert facts.mentions == ("--03", "2019-01-01", "2019-03-05")


def test_unknown_locale_names_the_data_file() -> None:
    kb = Knowledge(Path("builder/data"), "test-bad-locale", {"dates": {"locales": ["xx_NOPE"]}})
    with pytest.raises(BuilderError, match=r"dates\.yaml.*xx_NOPE"):
        run_with(kb, "في 5 مارس 2019")


def test_month_variant_key_must_be_a_month() -> None:
    kb = Knowledge(Path("builder/data"), "test-bad-month", {"dates": {"locales": ["ar"], "month_variants": {13: ["شهر"]}}})
    with pytest.raises(BuilderError, match=r"month_variants.*13"):
        run_with(kb, "في 5 مارس 2019")


def test_relative_kind_must_be_known() -> None:
    kb = Knowledge(Path("builder/data"), "test-bad-relative", {"dates": {"locales": ["ar"], "relative": {"soon": ["قريبا"]}}})
    with pytest.raises(BuilderError, match=r"relative.*soon"):
        run_with(kb, "في 5 مارس 2019")


def test_minimal_table_still_reads_dates() -> None:
    kb = Knowledge(Path("builder/data"), "test-minimal", {"dates": {"locales": ["ar_MA"]}})
    assert run_with(kb, "في 5 غشت 2019 وفي ماي 2018").mentions == ("2018-05", "2019-08-05")


def run_with(kb: Knowledge, text: str) -> DateFacts:
    seed = Seed("seeds/t.txt", "t", text, 1, CuratorFacts(), "0")
    return extract_dates(Part(seed, 1, 1, None, None, (Line(1, text),), ()), None, kb)


# ---- a weekday-only report dated by a same-event sibling -------------------------------------

from builder.dates import date_from_story, weekday_anchor  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    ("وقال المسؤول أمس الإثنين إن الاجتماع انتهى", (0, 1)),
    ("أعلنت الوزارة اليوم الثلاثاء عن خطة جديدة", (1, 0)),
    ("وقال المسؤول إن الاجتماع انتهى", None),
])
def test_weekday_anchor(text, expected):
    assert weekday_anchor([text], KB) == expected


@pytest.mark.parametrize("anchor, sibling, expected", [
    ((0, 1), PartialDate(2019, 6, 25), PartialDate(2019, 6, 25)),   # "أمس الإثنين", sibling Tue 25 June
    ((1, 0), PartialDate(2019, 6, 25), PartialDate(2019, 6, 25)),   # "اليوم الثلاثاء"
    ((4, 0), PartialDate(2019, 6, 25), PartialDate(2019, 6, 28)),   # Friday nearest to the 25th
    ((0, 1), PartialDate(2019, 6), None),                            # month precision fixes no week
])
def test_date_from_story(anchor, sibling, expected):
    assert date_from_story(anchor, sibling, 3) == expected
