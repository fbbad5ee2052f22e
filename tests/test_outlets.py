"""Outlet detection: chrome, bylines and self-references count; an outlet quoted as a source does not."""

from __future__ import annotations

import pytest

from builder.clean import clean
from builder.knowledge import load_knowledge
from builder.model import CuratorFacts, Seed
from builder.outlets import extract_outlet
from builder.split import split

KB = load_knowledge()
LEDE = "عقد وزير الداخلية المغربي اجتماعا مهما مع نظيره الفرنسي بالرباط لبحث التعاون في مجالي الأمن والهجرة."


def outlet(*lines: str) -> str:
    s = Seed("seeds/t.txt", "t", "\n".join(lines), 1, CuratorFacts(), "0")
    kept, noise = clean(s, KB)
    return extract_outlet(split(s, kept, noise, KB)[0], KB)


@pytest.mark.parametrize("lines, expected", [
    ((LEDE, "المصدر:", "هسبريس"), "هسبريس"),
    ((LEDE, "المصدر: هسبريس"), "هسبريس"),
    ((LEDE, "تابع آخبار تليكسبريس على akhbar"), "تليكسبريس"),
    (("الأخبار55 - مراسلة", LEDE), "الأخبار55"),
    (("AHDATH.INFO", LEDE), "أحداث أنفو"),
    (("AHDATH.INFO- الرباط 7 يونيو 2016/ومع/ " + LEDE,), "أحداث أنفو"),
    ((LEDE, "------", "يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم المحمول."),
     "بي بي سي عربي"),
])
def test_chrome_bylines_and_source_lines(lines: tuple[str, ...], expected: str) -> None:
    assert outlet(*lines) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("وأضاف المسؤول العراقي ذاته، في حديث مع جريدة هسبريس الإلكترونية، أن التعاون قطع أشواطا كبيرة.", "هسبريس"),
    ("وفي تصريح لموقع يابلادي قال رئيس الهيئة إن المشاركة مرفوضة.", "يابلادي"),
    ("من جهته قال عضو السكرتارية، في تصريح مماثل لموقع يابلادي، إن المشاركة مدانة.", "يابلادي"),
    ("وقال مسؤول حكومي، حسب مراسلة بي بي سي في تونس، إن أكثر من مائة شخص لقوا حتفهم.", "بي بي سي عربي"),
])
def test_self_reference_in_the_body(sentence: str, expected: str) -> None:
    assert outlet(LEDE, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "وحسب وكالة المغرب العربي للانباء، فان لفتيت اشاد بالمستوى العالي للتعاون.",
    "حسب ما أفادت به وكالة الأنباء العراقية حينها.",
    "لكن مسؤولا حكوميا قال لوكالة رويترز للأنباء إن الوزير أقيل.",
    "ونقلت وكالة فرانس برس عن وزارة الداخلية الليبية قولها إن المعبر أعيد فتحه.",
    "وذكرت صحيفة هسبريس أن الاجتماع انعقد أمس.",  # quoting another outlet is not a self-reference
])
def test_quoted_sources_are_not_the_outlet(sentence: str) -> None:
    assert outlet(LEDE, sentence) == ""


def test_unknown_without_clues() -> None:
    assert outlet("تعزيز التعاون الأمني بين المغرب والعراق", "", LEDE) == ""


def test_related_headline_in_noise_does_not_name_the_outlet() -> None:
    # A long related headline that mentions an outlet is not chrome.
    assert outlet(LEDE, "أخبار ذات صلة >", "وزير الخارجية يكشف في حوار مطول مع قناة الجزيرة تفاصيل الاتفاق الجديد مع إسبانيا") == ""


@pytest.mark.parametrize("lines, expected", [
    (("AHDATH.INF", LEDE), "أحداث أنفو"),  # chrome cut short by the scraper
    (("HESPRESS.CO", LEDE), "هسبريس"),
    (("AHDATH.INF", " - متابعة", LEDE), "أحداث أنفو"),
    ((LEDE, "المصدر: اندبندنت عربية"), "اندبندنت عربية"),
    ((LEDE, "المصدر: وكالة الأناضول"), "الأناضول"),
    ((LEDE, "تابعونا على شوف تيفي"), "شوف تيفي"),
])
def test_truncated_chrome_and_more_outlets(lines: tuple[str, ...], expected: str) -> None:
    assert outlet(*lines) == expected


@pytest.mark.parametrize("sentence, expected", [
    # Article and quote marks around the name: the way a radio names itself.
    ('وأكد مصدر من الحماية المدنية لمراسل الجوهرة "اف ام" أن الضحية نقل إلى المستشفى.', "جوهرة أف أم"),
    ("وفي تصريح لموقع «هسبريس» قال رئيس الجماعة إن الأشغال ستنطلق قريبا.", "هسبريس"),
    ("وعلمت الأحداث المغربية من مصادر مطلعة أن اللجنة أنهت أشغالها.", "أحداث أنفو"),
])
def test_self_reference_with_quotes_and_article(sentence: str, expected: str) -> None:
    assert outlet(LEDE, sentence) == expected


@pytest.mark.parametrize("lines", [
    ("AB.CD", LEDE),  # too short to be a known domain cut short
    ("ahdath.xyz", LEDE),  # a different ending is not a cut-off domain
    (LEDE, "ونقلت وكالة الأناضول عن مصدر أمني أن التحقيق ما زال جاريا."),  # an agency quoted in the body
    (LEDE, "وأدخل الموظف الكود السري في الجهاز قبل أن يكتشف أن الحساب مغلق."),  # كود is an ordinary word
])
def test_no_outlet_from_lookalikes(lines: tuple[str, ...]) -> None:
    assert outlet(*lines) == ""
