"""Topics: positives and negatives from inline text; off-topic articles stay off security topics."""

from __future__ import annotations

import pytest

from builder.knowledge import load_knowledge
from builder.model import CuratorFacts, Line, Part, Seed
from builder.topics import extract_topics, topic_ids, topic_label

KB = load_knowledge()


def topics(*paragraphs: str, title: str | None = None) -> set[str]:
    seed = Seed("seeds/t.txt", "t", "", 1, CuratorFacts(), "0")
    part = Part(seed, 1, 1, title, 1 if title else None, tuple(Line(i, p) for i, p in enumerate(paragraphs, 2)), ())
    return set(extract_topics(part, KB))


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
