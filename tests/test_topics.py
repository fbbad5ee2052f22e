"""Topics: positives and negatives from inline text; off-topic articles stay off security topics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import BuilderError
from builder.knowledge import Knowledge, load_knowledge
from builder.model import CuratorFacts, Line, Part, Seed
from builder.topics import extract_topics, topic_ids, topic_label

KB = load_knowledge()


def ranked(*paragraphs: str, title: str | None = None, kb: Knowledge = KB) -> tuple[str, ...]:
    seed = Seed("seeds/t.txt", "t", "", 1, CuratorFacts(), "0")
    part = Part(seed, 1, 1, title, 1 if title else None, tuple(Line(i, p) for i, p in enumerate(paragraphs, 2)), ())
    return extract_topics(part, kb)


def topics(*paragraphs: str, title: str | None = None) -> set[str]:
    return set(ranked(*paragraphs, title=title))


# Filler sentences with no topic words, to give a test article the length of a real report.
FILLER = (
    "وأضاف المصدر أن الاجتماع عرف حضور عدد من المسؤولين والمنتخبين وممثلي المجتمع المدني بالمدينة.",
    "وتابع أن اللقاء تناول أيضا برامج التنمية المحلية وتأهيل الأحياء الناقصة التجهيز في السنوات المقبلة.",
    "وأشار إلى أن المجلس سيعقد دورة استثنائية في الأسابيع المقبلة لدراسة عدد من النقاط المدرجة في جدول الأعمال.",
    "وختم بأن الساكنة تنتظر نتائج ملموسة على أرض الواقع تستجيب لتطلعاتها وانتظاراتها المشروعة منذ سنوات طويلة.",
    "وكانت اللجنة قد قدمت تقريرها الأولي إلى المكتب المسير في نهاية الشهر الماضي بعد سلسلة من اللقاءات التشاورية.",
    "ويرتقب أن تعرف المرحلة المقبلة إطلاق مشاريع جديدة في مجالات التعليم والصحة والنقل الحضري والمساحات الخضراء.",
)


@pytest.mark.parametrize("text, topic", [
    ("ناقش الجانبان سبل تعزيز التعاون الأمني بين البلدين وتبادل الخبرات.", "security_cooperation"),
    ("أكد الوزير أن المغرب راكم تجربة مهمة في مكافحة الإرهاب وتفكيك الخلايا الإرهابية.", "counter_terrorism"),
    ("وتناول الاجتماع سبل مواجهة الجريمة المنظمة العابرة للحدود.", "organized_crime"),
    ("وتم حجز كمية مهمة من الكوكايين والأقراص المهلوسة.", "drugs"),
    ("وتراجعت محاولات الهجرة غير الشرعية نحو إسبانيا بشكل كبير.", "migration"),
    ("لقي 27 شخصا مصرعهم في حوادث السير خلال الأسبوع الماضي.", "road_safety"),
    ("وأصدرت محكمة كويتية حكما غيابيا بالإعدام على المتهمين.", "justice"),
    ("وأبلغت وزارة الخارجية السفير بأنه شخص غير مرغوب فيه واستدعت سفيرها للتشاور.", "diplomacy"),
    ("وأدان العدوان الإسرائيلي على قطاع غزة ودعا إلى حل الدولتين.", "regional_conflict"),
    ("واتفق الوزيران على التعاون في مجالي الوقاية المدنية وإدارة الأحداث الكبرى.", "civil_protection"),
    ("واتفق الوزيران على التعاون في مجالي الوقاية المدنية وإدارة الأحداث الكبرى.", "major_events_security"),
])
def test_lexicon_positives_with_clitics(text: str, topic: str) -> None:
    assert topic in topics(text)


def test_one_weak_hint_is_not_enough() -> None:
    # A single passing mention ("مدمنون مخدرات") does not make a drugs article.
    assert "drugs" not in topics("وهم في الغالب صغار جدا ومدمنون مخدرات وعدوانيون ويعيشون على السرقة.")
    assert "counter_terrorism" not in topics("وشهدت البلاد تراجعا ملحوظا في المخاطر الإرهابية خلال السنة الماضية.")


def test_football_article_is_sports_only() -> None:
    found = topics(
        "فاز الملف المشترك بتنظيم بطولة كأس العالم لعام 2026 على حساب الملف المغربي.",
        "واختارت الدول الأعضاء في الاتحاد الدولي لكرة القدم (فيفا) الملف المشترك لاستضافة البطولة.",
        "وسيكون مونديال 2026 أكبر بطولة لكأس العالم بعد زيادة عدد الفرق المشاركة إلى 48 تلعب 80 مباراة.",
        "ويقول رئيس الاتحاد إن الولايات المتحدة ستحقق عائدات تصل إلى 14 مليار دولار.",
        title="الملف المشترك يفوز باستضافة كأس العالم 2026",
    )
    assert found == {"sports"}


def test_trade_article_is_economy_only() -> None:
    found = topics(
        "قال وزير الصناعة والتجارة والاستثمار إن المغرب وإسبانيا لديهما كل الإمكانيات ليشكلا ثنائيا اقتصاديا.",
        "وأضاف أن قطاع صناعة السيارات يضم 250 شركة وأن الصادرات تجاوزت 7 مليار دولار.",
        "وأكد أن المبادلات التجارية بين البلدين تضاعفت لتتجاوز 14 مليار أورو، وأن الاستثمارات الإسبانية في تزايد.",
    )
    assert found == {"economy"}


def test_security_article_with_a_sports_event_is_not_sports() -> None:
    found = topics(
        "وقد كان التأمين الناجح للأمن المغربي لفعاليات مونديال قطر 2022 نموذجا بارزا.",
        "وأكد الوزير عزم بلاده على تعزيز التعاون الأمني مع المغرب وتأمين الألعاب الأولمبية بباريس.",
    )
    assert "sports" not in found and {"major_events_security", "security_cooperation"} <= found


def test_nothing_found_is_other() -> None:
    assert topics("افتتح المهرجان الثقافي أبوابه أمس بحضور جمهور غفير من عشاق الموسيقى.") == {"other"}


def test_every_topic_has_an_arabic_label() -> None:
    ids = topic_ids(KB)
    assert ids[-1] == "other" and len(ids) == 14
    assert all(topic_label(KB, t) != t for t in ids)


# ---- negative contexts: a topic word used in another sense counts nothing --------------------

@pytest.mark.parametrize("text, topic", [
    # "اللجوء إلى" is recourse to, not asylum.
    ("وهددت الحكومة باللجوء إلى منظمة التجارة العالمية للطعن في الرسوم الجديدة وباللجوء إلى القضاء الدولي.", "migration"),
    # عمالة = a Moroccan prefecture, not labour.
    ("وترأس الوالي اجتماعا بمقر عمالة إقليم تازة حضره رؤساء الجماعات، وآخر بمقر العمالة لتتبع المشاريع.", "migration"),
    # "القضاء على" is wiping out, not the judiciary.
    ("وأكد الوزير عزم البلدين على القضاء على الفقر والقضاء عليه نهائيا في القرى، والقضاء على الهدر المدرسي.", "justice"),
    # A party's name.
    ("وعقد حزب العدالة والتنمية مجلسه الوطني، وقال الأمين العام لحزب العدالة والتنمية إن الحزب موحد.", "justice"),
    # Insurance, not event security.
    ("وارتفع رقم معاملات شركات التأمين بنسبة كبيرة، وطالبت شركة تأمين بمراجعة التأمين الإجباري على السيارات.", "major_events_security"),
    # A trade war is economy.
    ("وتخشى الأسواق من تصاعد الحرب التجارية بين واشنطن وبكين، ومن حرب تجارية تمتد إلى أوروبا.", "regional_conflict"),
    # "الدوري" is also periodic.
    ("وعقد المجلس الإداري اجتماعه الدوري، وصادق على التقرير الدوري وعلى الاجتماع الدوري المقبل.", "sports"),
    # "الكيف" without its article is "كيف" (how).
    ("وتساءل كيف يمكن للمجلس أن يشتغل، وكيف سيتم تمويل المشاريع، وكيف ستتم مراقبتها.", "drugs"),
])
def test_negative_contexts_count_nothing(text: str, topic: str) -> None:
    assert topic not in topics(text, *FILLER)


def test_asylum_is_still_asylum_beside_a_negative_context() -> None:
    assert "migration" in topics("وارتفع عدد طلبات اللجوء إلى ألمانيا، وقال إن طالبي اللجوء ينتظرون شهورا.", *FILLER)


# ---- one passing mention is background, not a topic -----------------------------------------

def test_single_background_mention_does_not_make_a_topic() -> None:
    found = topics(
        "كلف الرئيس مرشح الكتلة الأكبر بتشكيل حكومة جديدة بعد أشهر من الانسداد السياسي.",
        FILLER[0],
        "ويواجه رئيس الحكومة الجديد مهمة إعادة بناء المدن التي دمرت خلال المعارك ضد تنظيم الدولة الإسلامية.",
        *FILLER[1:],
    )
    assert found == {"other"}


def test_the_same_mention_in_the_lede_or_twice_makes_a_topic() -> None:
    lede = "أعلن تنظيم الدولة الإسلامية مسؤوليته عن التفجير الذي استهدف سوقا شعبيا في المدينة."
    assert "counter_terrorism" in topics(lede, *FILLER)
    twice = "وقال المصدر إن تنظيم الدولة الإسلامية ما زال ينشط في المنطقة وإن خلايا داعش تتحرك ليلا."
    assert "counter_terrorism" in topics(FILLER[0], twice, *FILLER[1:])


def test_a_field_named_once_in_a_list_is_a_topic() -> None:
    # "الجريمة المنظمة" names the field itself: one mention in a list of cooperation areas is enough.
    found = topics(
        "استقبل وزير الداخلية نظيره الإسباني وبحثا تعزيز التعاون الأمني بين البلدين.",
        *FILLER[:3],
        "كما تناول الاجتماع التعاون في مجالات مكافحة الجريمة المنظمة وتجارة المخدرات.",
        *FILLER[3:],
    )
    assert {"security_cooperation", "organized_crime", "drugs"} <= found


def test_a_named_field_beside_a_dominant_topic_is_kept() -> None:
    # Counter-terrorism dominates the score, but "التعاون الأمني الدولي" names a second field.
    dominant = "وأكد أن مكافحة الإرهاب وتفكيك الخلايا الإرهابية ومواجهة الجماعات الإرهابية والتهديدات الإرهابية أولوية."
    found = topics(dominant, dominant, dominant, "ودعا إلى تعزيز التعاون الأمني الدولي.", *FILLER)
    assert {"counter_terrorism", "security_cooperation"} <= found


def test_background_wording_alone_is_not_a_topic() -> None:
    # "هجوم" is weak: a football side's attacks make no terrorism article.
    found = topics(
        "ونوع الفريق المحلي هجماته في الشوط الثاني، وشن هجوما تلو الآخر دون أن ينجح في التسجيل.",
        "وقال المدرب إن الهجوم لم يكن في المستوى وإن خط الهجوم يحتاج إلى تعزيزات.",
        *FILLER,
    )
    assert "counter_terrorism" not in found


def test_rescuers_at_an_accident_do_not_make_civil_protection() -> None:
    found = ranked(
        "لقي شاب مصرعه مساء أمس في حادث مرور بعد أن صدمته شاحنة على الطريق الوطنية.",
        "وتدخلت عناصر الوقاية المدنية لنقل الضحية إلى المستشفى، وقال مصدر من الوقاية المدنية إنه فارق الحياة.",
    )
    assert found == ("road_safety",)


# ---- short items -----------------------------------------------------------------------------

def test_short_attack_report_is_counter_terrorism() -> None:
    found = topics(
        "قتل جنديان وأصيب آخرون في هجوم مسلح نفذه مسلحون مجهولون على نقطة مراقبة شمال البلاد.",
        "وقال مصدر أمني إن المسلحين لاذوا بالفرار بعد الهجوم.",
    )
    assert found == {"counter_terrorism"}


def test_singular_terror_attack_counts_fully() -> None:
    found = ranked(
        "أكدت الشرطة وفاة شاب مغربي في الاعتداء الإرهابي الذي استهدف مسجدا في المدينة.",
        "وكان الشاب يقيم في المنطقة منذ سنوات ويشتغل في التجارة.",
    )
    assert found[0] == "counter_terrorism"


def test_thresholds_are_relative_to_length() -> None:
    # The same court mention is the story of a two-line item, and a passing remark in a long report.
    court = "وقررت المحكمة متابعة الموقوف في حالة اعتقال، بعد إحالته من طرف النيابة العامة."
    assert topics(court) == {"justice"}
    assert "justice" not in topics(*FILLER, court, *FILLER)


def test_bloody_or_armed_attack_alone_shows_terrorism() -> None:
    found = topics(
        "قتل ثلاثة أشخاص في الاعتداء الدموي الذي استهدف مصلين في مسجد بالمدينة مساء أمس الأحد.",
        "واعتقلت الشرطة مشتبها به في الحادث.",
    )
    assert found == {"counter_terrorism"}


def test_short_item_still_needs_more_than_one_weak_hint() -> None:
    assert topics("واعتقلت الشرطة شخصين بتهمة السرقة.") == {"other"}


# ---- justice, conflict and diplomacy vocabulary ------------------------------------------------

def test_criminal_investigation_is_justice() -> None:
    found = topics(
        "قال المدعي العام إن المحققين يرجحون فرضية جريمة قتل، وإن فريق تحقيق يبحث عن الجاني.",
        *FILLER[:2],
        "وأضاف أن المتهم سيمثل أمام المحكمة فور انتهاء التحقيقات.",
        *FILLER[2:],
    )
    assert found == {"justice"}


def test_air_strikes_and_militias_are_regional_conflict() -> None:
    found = ranked(
        "شن طيران التحالف غارات جوية على مواقع المتمردين في شمال البلاد، فيما تواصلت الاشتباكات بين الميليشيات.",
        "وقالت القوات الحكومية إنها استعادت مناطق واسعة، وسط دعوات دولية إلى وقف إطلاق النار.",
        "وأفاد مصدر عسكري بمقتل عشرات المسلحين في قصف استهدف تجمعا للمسلحين قرب الحدود.",
        *FILLER,
    )
    assert found[0] == "regional_conflict" and "counter_terrorism" not in found


def test_summit_of_leaders_is_diplomacy() -> None:
    found = ranked(
        "التقى الرئيس الفرنسي رئيس الوزراء الكندي قبيل قمة مجموعة السبع، وأجريا محادثات حول العلاقات بين البلدين.",
        "وتستضيف كندا القمة بحضور وزراء الخارجية والسفراء.",
        *FILLER,
    )
    assert found[0] == "diplomacy"


def test_interior_ministers_meeting_is_not_diplomacy() -> None:
    found = topics(
        "عقد وزير الداخلية لقاء مع نظيره الفرنسي على هامش زيارة رسمية، وأجريا مباحثات حول التعاون الأمني.",
        "وتطرقت المحادثات إلى تبادل المعلومات ومحاربة الهجرة غير الشرعية.",
        *FILLER,
    )
    assert "diplomacy" not in found and {"security_cooperation", "migration"} <= found


# ---- main topic --------------------------------------------------------------------------------

def test_main_topic_is_what_the_report_leads_with() -> None:
    found = ranked(
        "بحث وزير الداخلية مع نظيره الإسباني سبل تعزيز التعاون الأمني وتبادل المعلومات بين البلدين.",
        "وتطرق الجانبان إلى الهجرة غير الشرعية وتدفق المهاجرين، وإلى المهاجرين القاصرين.",
        *FILLER,
    )
    assert found[:2] == ("security_cooperation", "migration")


# ---- data validation ---------------------------------------------------------------------------

def test_names_must_be_a_list() -> None:
    table = {"topics": [{"id": "x", "label": "س", "names": "مكافحة الإرهاب"}]}
    kb = Knowledge(Path("builder/data"), "test-bad-names", {"topics": table})
    with pytest.raises(BuilderError, match="topic x: 'names' must be a list"):
        ranked("نص", kb=kb)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["الأمن", "مكافحة", ".", "!", "؟", "?", " ", "  ", "\t", "\u064b", "2024",
                                          "،", "_", "a", "\u00a0", "\u200b", "ـ"]), max_size=20).map("".join),
                max_size=6))
def test_sentences_hold_every_word_of_the_paragraphs(lines: list[str]) -> None:
    """extract_topics counts an item's length from its sentences' words: sentences end only at
    spaces, so they hold exactly the paragraphs' words."""
    from builder.topics import sentences, tokens

    assert sum(len(tokens(s)) for s in sentences("\n".join(lines))) == sum(len(tokens(line)) for line in lines)
