"""Officials stage: Arabic sentences in, (name, role, country) out."""

from __future__ import annotations

import time

import pytest

from builder.errors import BuilderError
from builder.knowledge import Knowledge, load_knowledge
from builder.model import CuratorFacts, Line, Part, Seed
from builder.officials import _vocab, extract_officials

KB = load_knowledge()


def run(*paragraphs: str, kb: Knowledge = KB):
    seed = Seed("seeds/t.txt", "t", "\n".join(paragraphs), 1, CuratorFacts(), "0")
    part = Part(seed, 1, 1, None, None, tuple(Line(i + 1, p) for i, p in enumerate(paragraphs)), ())
    return extract_officials(part, kb)


def found(*paragraphs: str) -> list[tuple[str, str, str]]:
    return [(o.name, o.role, o.country) for o in run(*paragraphs)]


@pytest.mark.parametrize("text, expected", [
    # title then name, nationality on the title
    ("عقد وزير الداخلية المغربي عبد الوافي لفتيت اجتماعا مهما بمراكش.",
     [("عبد الوافي لفتيت", "وزير الداخلية المغربي", "MA")]),
    ("وقال وزير الداخلية الجزائري نور الدين بدوي، بعد تدشين المعبر إن المعبر مهم.",
     [("نور الدين بدوي", "وزير الداخلية الجزائري", "DZ")]),
    ("وكان الرئيس الفلبيني رودريغو دوتيرتي تحدث مرارا عن العمال.",
     [("رودريغو دوتيرتي", "الرئيس الفلبيني", "PH")]),
    ("أكد وزير خارجية الولايات المتحدة ماركو روبيو، أمس، دعم بلاده.",
     [("ماركو روبيو", "وزير خارجية الولايات المتحدة", "US")]),
    # name then title
    ("وأشاد خالد شواني، وزير العدل العراقي، بالدور الرائد للمملكة.",
     [("خالد شواني", "وزير العدل العراقي", "IQ")]),
    ("تفاعل ماتيو سالفيني، نائب رئيس الوزراء الإيطالي، مع توقيف مواطن.",
     [("ماتيو سالفيني", "نائب رئيس الوزراء الإيطالي", "IT")]),
    # counterpart: the country comes from "نظيره المغربي"
    ("التقى عبد الأمير الشمري، وزير الداخلية العراقي، مع نظيره المغربي عبد الوافي لفتيت.",
     [("عبد الأمير الشمري", "وزير الداخلية العراقي", "IQ"), ("عبد الوافي لفتيت", "نظيره المغربي", "MA")]),
    # honorifics: dropped, except الشيخ which the name keeps
    ("قال الفريق فلاح الكيناني، مساعد وزير الداخلية العراقي، إن التعاون كبير.",
     [("فلاح الكيناني", "مساعد وزير الداخلية العراقي", "IQ")]),
    ("وعين الرئيس الرواندي بول كاغامي الشيخ صالح هابيمانا سفيرا جديدا لرواندا في الرباط.",
     [("بول كاغامي", "الرئيس الرواندي", "RW"),
      ("الشيخ صالح هابيمانا", "سفيرا جديدا لرواندا في الرباط", "RW")]),
    ("عقد وزير الداخلية المغربي، السيد عبد الوافي لفتيت، جلسة عمل.",
     [("عبد الوافي لفتيت", "وزير الداخلية المغربي", "MA")]),
    # royal and head-of-government titles
    ("جاء ذلك في برقية بعثها صاحب الجلالة الملك محمد السادس نصره الله إلى الملك فيليب السادس.",
     [("محمد السادس", "صاحب الجلالة الملك", "MA"), ("فيليب السادس", "الملك", "ES")]),
    ("وقد افتتح المؤتمر رئيس الحكومة المغربية عزيز أخنوش، بحضور الوزراء.",
     [("عزيز أخنوش", "رئيس الحكومة المغربية", "MA")]),
    # chained titles, director general, envoy governing another office-holder
    ("أكد نائب رئيس مجلس الوزراء وزير الخارجية العراقي فؤاد حسين اليوم أن العراق يؤدي دورا.",
     [("فؤاد حسين", "نائب رئيس مجلس الوزراء وزير الخارجية العراقي", "IQ")]),
    ("بفضل جهود المدير العام للأمن الوطني ولمراقبة التراب الوطني، عبد اللطيف حموشي، في تقوية الشراكات.",
     [("عبد اللطيف حموشي", "المدير العام للأمن الوطني ولمراقبة التراب الوطني", "MA")]),
    ("في مؤتمر مع مبعوث الرئيس الأميركي دونالد ترامب إلى التحالف بريت ماكغورك، قال إن الاجتماع ناجح.",
     [("دونالد ترامب", "الرئيس الأميركي", "US"),
      ("بريت ماكغورك", "مبعوث الرئيس الأميركي دونالد ترامب إلى التحالف", "US")]),
    # a given name carries a run that nothing else marks off
    ("وأدان وزير الشؤون الخارجية الفرنسي جان إيف لودريان الهجوم.",
     [("جان إيف لودريان", "وزير الشؤون الخارجية الفرنسي", "FR")]),
    # an office of an international body serves no country
    ("وقال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن الوضع في المغرب مستقر.",
     [("أنطونيو غوتيريش", "الأمين العام للأمم المتحدة", "")]),
    ("وقال الناطق الرسمي باسم الحكومة المصرية أحمد فهمي، أمس، إن القرار نهائي.",
     [("أحمد فهمي", "الناطق الرسمي باسم الحكومة المصرية", "EG")]),
])
def test_titles_and_names(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


def test_spacing_variants_and_short_forms_are_one_person() -> None:
    officials = run(
        "استعرض وزير الداخلية المغربي عبدالوافي لفتيت، اليوم بالرباط، القضايا المشتركة.",
        "وقال السيد لفتيت إن اللقاء كان مثمرا، وأكد وزير الداخلية عبد الوافي لفتيت أهمية التعاون.",
    )
    assert [o.name for o in officials] == ["عبدالوافي لفتيت"]
    assert officials[0].key == "abdelouafi-laftit"  # from the curator's officials.yaml
    assert officials[0].variants == ("عبد الوافي لفتيت",)


def test_fullest_form_wins_and_unknown_people_get_a_derived_key() -> None:
    officials = run(
        "وقال وزير الداخلية لطفي براهم، في ندوة، إن الوضع مستقر.",
        "وكان وزير الداخلية محمد لطفي براهم، قد زار المنطقة.",
        "وأضاف براهم أن العمل متواصل.",
    )
    assert [(o.name, o.country) for o in officials] == [("محمد لطفي براهم", "")]
    key = officials[0].key
    assert key.startswith("o-") and key.isascii() and len(key) == 12
    assert run("وقال وزير الداخلية لطفي براهم، في ندوة، إن الوضع مستقر.")[0].key != key


def test_unmarked_minister_serves_the_country_the_article_is_about() -> None:
    assert found(
        "أقال رئيس الحكومة التونسية، يوسف الشاهد، وزير الداخلية، لطفي براهم، بعد غرق مركب.",
        "وكان الشاهد قد انتقد عدم انتباه القوات الأمنية في تونس.",
    ) == [("يوسف الشاهد", "رئيس الحكومة التونسية", "TN"), ("لطفي براهم", "وزير الداخلية", "TN")]
    # a foreign minister's nationality does not make the unmarked one foreign
    assert found(
        "أشرف وزير الشؤون الخارجية، خميس الجهيناوي، رفقة الوزير الجزائري للشؤون المغاربية، عبد القادر مساهل، "
        "على افتتاح أشغال اللجنة التونسية الجزائرية التي تحتضنها تونس.",
    ) == [("خميس الجهيناوي", "وزير الشؤون الخارجية", "TN"),
          ("عبد القادر مساهل", "الوزير الجزائري للشؤون المغاربية", "DZ")]


@pytest.mark.parametrize("text", [
    # journalist, lawyer, defendant, NGO head, company chief, sports official
    "حسب مراسلة بي بي سي في تونس، رنا جواد، فإن العدد كبير.",
    "وقال المحامي إيمانويل داود إنه حين يتم توقيف أطفال الشوارع.",
    "وقضت المحكمة بسجن المتهم محمد العربي عشر سنوات.",
    "وقال عبد الصمد فتحي رئيس الهيئة المغربية لنصرة قضايا الأمة إن المشاركة خيانة.",
    "من جانبه أكد فرانسيسكو ريبيراس الرئيس التنفيذي لشركة جيستامب أن المغرب عمل بجد.",
    "وقال كارلوس كورديرو، رئيس الاتحاد الأمريكي لكرة القدم: كرة القدم هي الفائز.",
    "وقال الأمين العام لحزب الاستقلال نزار بركة إن الحكومة فشلت.",
    # ministries and titles without a person
    "وقالت وزارة العدل الفرنسية إن المهمة تهدف إلى تحديد هويات القاصرين.",
    "وأعلنت وزارة الداخلية الليبية فتح المعبر بقرار من وزير الداخلية الليبي غضب سكان مدينة بن قردان.",
    "وجدد الوزير تأكيد التضامن اللامشروط مع إسبانيا.",
    "واقترح الوزير المغربي إيجاد إطار للشراكة والتعاون.",
    "وفي نوفمبر وقع وزيرا داخلية البلدين في نواكشوط اتفاقا.",
    "ذكر ناطق باسم وزارة الشؤون الخارجية والتعاون الدولي، اليوم الاثنين، أن المغرب يشارك.",
])
def test_not_officials(text: str) -> None:
    assert run(text) == ()


def test_dev_articles_without_officials_give_none() -> None:
    from pathlib import Path

    for name in ("dev_04", "dev_06", "dev_07", "dev_08", "dev_11", "dev_16", "dev_19"):
        lines = [line for line in (Path("tests/data/dev") / f"{name}.txt").read_text("utf-8").splitlines() if line.strip()]
        assert run(*lines) == (), name


def test_known_official_without_nationality_takes_the_curators_country() -> None:
    assert found("وخلال لقاء جمعه بوزير العدل عبد اللطيف وهبي، أكد المسؤول العراقي أهمية التعاون مع العراق.") \
        == [("عبد اللطيف وهبي", "وزير العدل", "MA")]


def test_bad_officials_file_is_named(tmp_path) -> None:
    for path in KB.root.glob("*.yaml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "officials.yaml").write_text("officials:\n  - {id: Bad Id, name: س ص, country: MA}\n", "utf-8")
    with pytest.raises(BuilderError, match="officials.yaml.*Bad Id"):
        _vocab(load_knowledge(tmp_path))


def test_fast() -> None:
    text = "عقد وزير الداخلية المغربي عبد الوافي لفتيت، اجتماعا مع نظيره العراقي عبد الأمير كامل الشمري. " * 20
    run(text)
    start = time.perf_counter()
    for _ in range(10):
        run(text)
    assert (time.perf_counter() - start) / 10 < 0.05
