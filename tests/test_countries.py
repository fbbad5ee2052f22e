"""Countries stage: Arabic sentences in, ISO codes out (mentioned, primary)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.countries import _compile, country_name, country_names, extract_countries, known_country_codes
from builder.errors import BuilderError
from builder.knowledge import load_knowledge
from builder.model import CuratorFacts, Line, Part, Seed
from builder.tools.gen_countries import TABLE, cldr_countries, merge, regenerate

KB = load_knowledge()


def run(*paragraphs: str, title: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    seed = Seed("seeds/t.txt", "t", "\n".join(paragraphs), 1, CuratorFacts(), "0")
    part = Part(seed, 1, 1, title, 1 if title else None,
                tuple(Line(i + 2, p) for i, p in enumerate(paragraphs)), ())
    return extract_countries(part, KB)


def mentioned(*paragraphs: str) -> list[str]:
    return list(run(*paragraphs)[0])


@pytest.mark.parametrize("text, expected", [
    # names, with leading clitics and spelling variants
    ("أكد الوزير أن المغرب واسبانيا يرتبطان بشراكة أمنية", ["ES", "MA"]),
    ("وصل الوفد بالمغرب قادما من سورية", ["MA", "SY"]),
    ("تعاون وثيق للمغرب مع الولايات المتحدة الأمريكية وبريطانيا", ["GB", "MA", "US"]),
    ("انعقد اللقاء بين المملكة المغربية والمملكة العربية السعودية", ["MA", "SA"]),
    ("شاركت كوريا الجنوبية وجنوب إفريقيا في المؤتمر", ["KR", "ZA"]),
    ("أطلقت كوريا الشمالية صاروخا", ["KP"]),
    ("وتقود النيجر وبوركينافاسو وتشاد العملية", ["BF", "NE", "TD"]),
    ("ندد بالاعتداء على فلسطين", ["PS"]),
    # demonyms in every form, with clitics
    ("قال وزير الداخلية الفرنسي إن السلطات الفرنسية والفرنسيين", ["FR"]),
    ("أشاد بالتجربة المغربية وبالمغاربة المقيمين بالخارج", ["MA"]),
    ("قدمت مساعدات للعراقيين واللاجئين السوريين", ["IQ", "SY"]),
    ("أوقفت الشرطة مواطنا إيطاليا وثلاثة إسبان", ["ES", "IT"]),
    ("التعاون المغربي-الفرنسي", ["FR", "MA"]),
    ("وزارتي الداخلية والشؤون الاجتماعية المغربيتين", ["MA"]),
    ("نشرت الصحيفة الإسرائيلية والأميركية الخبر", ["IL", "US"]),
    # capitals standing for governments
    ("هناك تعاون أمني بين الرباط وبغداد على المستوى العالي", ["IQ", "MA"]),
    ("ودفع هذا الوضع باريس والرباط إلى تعزيز التعاون", ["FR", "MA"]),
    ("وأعلنت أنقرة رفضها للقرار", ["TR"]),
    ("واشنطن تتهم طهران بدعم الميليشيات", ["IR", "US"]),
    # capitals that are only places
    ("خلال زيارته إلى الدوحة بحث التعاون الأمني", []),
    ("عقد الوزير اليوم الإثنين بالرباط جلسة عمل", []),
    ("الرباط 7 يونيو 2016/ومع/ تمكنت مصالح الأمن من توقيف سبعة أشخاص", []),
    ("وقعت هجمات في باريس ولندن", []),
    # regions, prayers, organisations and ordinary words that are not countries
    ("حسب وكالة المغرب العربي للأنباء فإن الاجتماع انتهى", []),
    ("اتحاد المغرب العربي وبلدان المغرب الكبير", []),
    ("خرج المصلون بعد صلاة المغرب", []),
    ("نزاع الصحراء الغربية أمام الأمم المتحدة", []),
    ("قرار من الاتحاد الأوروبي والأنتربول وجامعة الدول العربية", []),
    ("تنظيم القاعدة في بلاد المغرب الإسلامي", []),
    ("نقلت وكالة الأنباء الفرنسية عن مصدر", ["FR"]),  # a demonym in a media name is a mention...
    # government seats stand for their government
    ("أعلن البيت الأبيض فرض رسوم جديدة", ["US"]),
    ("وقالت مصادر في الكرملين إن الرد سيكون حازما", ["RU"]),
    ("استقبل قصر الإليزيه الوفد", ["FR"]),
    # Palestinian territories
    ("تواصل القصف على قطاع غزة", ["PS"]),
    ("اقتحمت القوات مدنا في الضفة الغربية", ["PS"]),
    # a demonym right after a given name is a family name
    ("قال محمد المصري إن الاجتماع انتهى", []),
    ("وأكد محمد شياع السوداني أن الحكومة ماضية", []),
    ("صرح عبد الرحمن المغربي للصحافة", []),
    ("وقال نظيره المغربي إن التعاون مثمر", ["MA"]),
    ("وصلت الشحنة إلى ميناء طنجة المغربي", ["MA"]),
    ("يتعين على المغربي أن يدفع الرسوم", ["MA"]),  # على folds to a given name: not one here
    ("دول أمريكا اللاتينية والمحيط الهندي", []),
    ("قدمت الحكومة دعما مالي ضخما ووزارة المالية", []),
    ("يدرس التلاميذ اللغة الإسبانية", []),
    ("ما يعرف بالفرنسية باسم آخر", []),
    # weak names count in a country context
    ("ينتشر الجيش الفرنسي في مالي", ["FR", "ML"]),
    ("زار الوزير سلطنة عمان", ["OM"]),
    ("تضم المجموعة قطر وعمان والكويت", ["KW", "OM", "QA"]),
    ("تعاون أمني بين عمان وبغداد", ["IQ", "JO"]),  # here عمان is Amman standing for Jordan
])
def test_mentioned(text: str, expected: list[str]) -> None:
    assert mentioned(text) == expected


def test_implicit_country_from_its_own_entities() -> None:
    text = ("تمكنت مصالح المديرية العامة للأمن الوطني من توقيف سبعة أشخاص بكل من مدن الرباط وسلا وفاس")
    assert run(text) == (("MA",), ("MA",))


def test_one_marker_is_not_enough() -> None:
    assert run("وصل الوفد إلى مراكش للمشاركة في المؤتمر") == ((), ())


def test_media_demonym_is_no_evidence_for_primary() -> None:
    got = run(
        "كشفت صحيفة The Guardian البريطانية أن الشرطة الألمانية اعتقلت مشتبها به في مقتل سياسي محلي.",
        "وقالت الصحيفة البريطانية إن المحققين في ألمانيا يدرسون دوافع الجريمة.",
    )
    assert got == (("DE", "GB"), ("DE",))
    assert run("نقلت وكالة الأنباء الفرنسية عن مصدر أن الاجتماع تأجل") == (("FR",), ())


def test_places_of_a_named_country_make_it_primary() -> None:
    got = run(
        "علمت الصحيفة أن طالبا مغربيا قتل في إطلاق نار بمدينة تورونتو، ونقل ثلاثة مغاربة إلى المستشفى.",
        "وأعلنت الشرطة الكندية اعتقال مشتبه به مغربي الأصل يقيم في أونتاريو.",
    )
    assert got == (("CA", "MA"), ("CA", "MA"))


def test_a_place_is_not_a_mention() -> None:
    assert run("وصل الوفد إلى تورونتو للمشاركة في المؤتمر") == ((), ())
    assert run("أعلنت الحكومة الإيطالية خطة جديدة", "وزار الوزير تورونتو") == (("IT",), ("IT",))


@pytest.mark.parametrize("text, code", [
    ("اندلع حريق بمعتمدية الشابة من ولاية صفاقس دون خسائر بشرية", "TN"),  # Tunisian district + town
    ("ترأس عامل إقليم تازة اجتماعا بمقر الباشوية", "MA"),  # Moroccan governor, province, pashalik
    ("سقطت قذائف على أحياء في حلب وإدلب", "SY"),
])
def test_implicit_country_from_its_places(text: str, code: str) -> None:
    assert run(text) == ((code,), (code,))


@pytest.mark.parametrize("text", [
    "تنتشر عمالة الأطفال في المناطق الريفية",  # عمالة "labour", not a Moroccan prefecture
    "عين الوزير معتمدا جديدا للسفارة",
])
def test_ordinary_words_infer_no_country(text: str) -> None:
    assert run(text) == ((), ())


def test_no_country_named_means_the_outlets_own() -> None:
    seed = Seed("seeds/t.txt", "t", "x", 1, CuratorFacts(), "0")
    body = (Line(2, "توفي شيخ سبعيني في حادث مرور مساء أمس بعد أن صدمته سيارة."),)
    local = Part(seed, 1, 1, None, None, body, (Line(1, "هسبريس"),))
    assert extract_countries(local, KB) == (("MA",), ("MA",))
    assert extract_countries(Part(seed, 1, 1, None, None, body, ()), KB) == ((), ())
    named = Part(seed, 1, 1, None, None, (Line(2, "أعلنت الحكومة الإسبانية خطة جديدة."),), (Line(1, "هسبريس"),))
    assert extract_countries(named, KB) == (("ES",), ("ES",))


def test_primary_from_title_and_lede() -> None:
    got = run(
        "أعلنت الجزائر وموريتانيا فتح أول معبر حدودي بين البلدين.",
        "وقال وزير الداخلية الجزائري إن المعبر مهم، بحضور نظيره الموريتاني.",
        "ويعود الحدود إلى الاستعمار الفرنسي.",
        title="فتح أول معبر حدودي بين الجزائر وموريتانيا",
    )
    assert got == (("DZ", "FR", "MR"), ("DZ", "MR"))


def test_a_place_in_the_lede_is_not_primary_when_rarely_named() -> None:
    got = run(
        "استبق المغرب عودة المغاربة الذين قاتلوا في سوريا.",
        "وقال مسؤول مغربي إن المغرب وضع خطة، وإن السلطات المغربية متيقظة.",
        "ويتابع المغرب الوضع في سوريا، ويؤكد المغرب أن السلطات المغربية والأجهزة المغربية يقظة.",
    )
    assert got == (("MA", "SY"), ("MA",))


def test_primary_falls_back_to_the_most_named() -> None:
    got = run("قال الوزير إن الحكومة ماضية في الإصلاح.", "وأكد أن المغرب وإسبانيا شريكان.", "وأن المغرب ماض.")
    assert got == (("ES", "MA"), ("MA",))


def test_no_country() -> None:
    assert run("تساقطت أمطار غزيرة اليوم") == ((), ())


def test_table_covers_every_cldr_country() -> None:
    codes = known_country_codes(KB)
    assert set(cldr_countries()) <= codes
    assert {"EU", "UN", "EZ", "ZZ"}.isdisjoint(codes)
    assert "NO" in codes  # YAML would read an unquoted NO as false


def test_display_names() -> None:
    assert country_name("MA") == "المغرب"
    assert country_name("PS") == "فلسطين"
    assert country_name("MM") == "ميانمار"
    assert country_names(KB)["US"] == "الولايات المتحدة"


def test_generator_keeps_hand_fields_and_head() -> None:
    text = TABLE.read_text(encoding="utf-8")
    assert regenerate(TABLE) == text  # the committed table is exactly what the generator writes
    existing = yaml.safe_load(text)["countries"]
    merged = merge({"MA": {"cldr": "old", "aliases": ["x"]}}, {"MA": "المغرب", "FR": "فرنسا"})
    assert merged == {"FR": {"cldr": "فرنسا"}, "MA": {"cldr": "المغرب", "aliases": ["x"]}}
    assert "مغاربة" in existing["MA"]["demonyms"]


@pytest.mark.parametrize("table, message", [
    ({"countries": {"Morocco": {"cldr": "المغرب"}}}, "not an ISO 3166-1 alpha-2 code"),
    ({"countries": {"MA": {"cldr": "المغرب", "capital": ["الرباط"]}}}, "unknown field(s) ['capital']"),
    ({"countries": {"MA": {"cldr": "المغرب", "aliases": [3]}}}, "countries.MA.aliases is [3]"),
    ({}, "has no 'countries:' mapping"),
    ({"countries": {"MA": {"cldr": "المغرب"}}, "places": {"XX": ["فاس"]}}, "places: 'XX' is not a code"),
    ({"countries": {"MA": {"cldr": "المغرب"}}, "seats": ["القصر"]}, "seats is ['القصر']"),
])
def test_bad_table_is_reported(table: dict, message: str) -> None:
    with pytest.raises(BuilderError, match=None) as err:
        _compile(table, None)
    assert message in str(err.value)
    assert "countries.yaml" in str(err.value)


def test_committed_table_is_valid_utf8_yaml() -> None:
    assert Path(TABLE).read_bytes().decode("utf-8")
