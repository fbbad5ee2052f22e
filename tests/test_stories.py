"""Stories: reports of the same event share an id; related but different events do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import stories
from builder.knowledge import load_knowledge
from builder.model import Article, Official, PartialDate
from builder.pipeline import extract_paths
from builder.stories import assign_stories, dates_compatible

ROOT = Path(__file__).resolve().parent.parent
KB = load_knowledge()


def art(slug: str, title: str, body: str, *, file: str = "", outlet: str = "",
        date: PartialDate | None = None, officials: tuple[Official, ...] = ()) -> Article:
    return Article(
        id=slug, slug=slug, file=file or f"seeds/{slug}.txt", part=1, title=title, title_generated=False,
        date=date, date_basis="curator" if date else "none", dates=(), outlet=outlet, url="",
        countries=(), countries_primary=(), officials=officials, topics=(), summary="", body=(body,),
    )


# Two outlets rewriting one dispatch: Tunisia's interior minister sacked after a migrant boat sank.
SACKED_A = art(
    "a", "إقالة وزير الداخلية التونسي لطفي براهم بعد غرق قارب للمهاجرين قبالة قرقنة",
    "أعلنت رئاسة الحكومة التونسية إقالة وزير الداخلية لطفي براهم وتكليف وزير العدل غازي الجريبي "
    "بتسيير الوزارة بالنيابة، بعد أيام من غرق قارب يقل مهاجرين قبالة جزيرة قرقنة راح ضحيته العشرات.",
    outlet="بي بي سي", date=PartialDate(2018, 6, 6))
SACKED_B = art(
    "b", "تونس: إقالة لطفي براهم وزير الداخلية إثر غرق مركب مهاجرين في قرقنة",
    "قرر رئيس الحكومة التونسية إقالة وزير الداخلية لطفي براهم، وكلف غازي الجريبي وزير العدل بالنيابة، "
    "وذلك إثر غرق مركب للمهاجرين قبالة سواحل قرقنة خلف عشرات القتلى.",
    outlet="فرانس 24", date=PartialDate(2018, 6, 7))
# Related but different: the same country and ministry, a different event.
BUDGET = art(
    "c", "البرلمان التونسي يصادق على ميزانية وزارة الداخلية لسنة 2019",
    "صادق مجلس نواب الشعب التونسي على ميزانية وزارة الداخلية بعد نقاش حول تجهيز الوحدات الأمنية "
    "وتحسين ظروف عمل الأعوان في المناطق الحدودية.",
    outlet="جوهرة", date=PartialDate(2018, 6, 6))
# An unrelated event from the same day.
FOOTBALL = art(
    "d", "المغرب يخسر سباق استضافة كأس العالم 2026",
    "فاز الملف المشترك للولايات المتحدة والمكسيك وكندا بتنظيم كأس العالم لكرة القدم 2026 بعد تصويت "
    "أعضاء الاتحاد الدولي في موسكو.",
    outlet="سكاي", date=PartialDate(2018, 6, 13))


def story_of(articles: list[Article]) -> dict[str, str]:
    return {a.id: a.story for a in assign_stories(articles, KB)}


def test_same_event_from_two_outlets_shares_a_story() -> None:
    got = story_of([SACKED_A, SACKED_B, BUDGET, FOOTBALL])
    assert got["a"] == got["b"] == "st-a"  # named after the earliest-dated report
    assert got["c"] == "st-c"
    assert got["d"] == "st-d"


def test_story_id_is_stable_when_a_later_report_joins() -> None:
    alone = story_of([SACKED_A, BUDGET, FOOTBALL])
    joined = story_of([SACKED_A, BUDGET, FOOTBALL, SACKED_B])
    assert alone["a"] == joined["a"] == joined["b"] == "st-a"


def test_order_of_input_does_not_change_stories() -> None:
    assert story_of([FOOTBALL, SACKED_B, BUDGET, SACKED_A]) == story_of([SACKED_A, SACKED_B, BUDGET, FOOTBALL])


def test_same_words_far_apart_in_time_are_different_events() -> None:
    later = art("b", SACKED_B.title, SACKED_B.body[0], outlet="فرانس 24", date=PartialDate(2019, 3, 1))
    got = story_of([SACKED_A, later, FOOTBALL])
    assert got["a"] != got["b"]


def test_undated_reports_cluster_on_text_alone() -> None:
    a = art("a", SACKED_A.title, SACKED_A.body[0], outlet="بي بي سي")
    b = art("b", SACKED_B.title, SACKED_B.body[0], outlet="فرانس 24")
    got = story_of([a, b, FOOTBALL])
    assert got["a"] == got["b"] == "st-a"


def test_parts_of_one_file_or_one_outlet_never_share_a_story() -> None:
    same_file = art("b", SACKED_B.title, SACKED_B.body[0], file=SACKED_A.file, date=SACKED_B.date)
    assert len(set(story_of([SACKED_A, same_file, FOOTBALL]).values())) == 3
    same_outlet = art("b", SACKED_B.title, SACKED_B.body[0], outlet="بي بي سي", date=SACKED_B.date)
    assert len(set(story_of([SACKED_A, same_outlet, FOOTBALL]).values())) == 3


@pytest.mark.parametrize("a, b, ok", [
    (PartialDate(2018, 6, 6), PartialDate(2018, 6, 9), True),
    (PartialDate(2018, 6, 6), PartialDate(2018, 6, 10), False),
    (PartialDate(2018, 6), PartialDate(2018, 7, 2), True),   # June may mean 30 June
    (PartialDate(2018, 6), PartialDate(2018, 8), False),
    (PartialDate(2018), PartialDate(2018, 11, 3), True),
    (None, PartialDate(2018, 6, 6), True),                   # undated: text decides
])
def test_date_window(a: PartialDate | None, b: PartialDate | None, ok: bool) -> None:
    assert dates_compatible(a, b) is ok


def test_singletons_and_empty_input() -> None:
    assert assign_stories([], KB) == []
    assert story_of([FOOTBALL]) == {"d": "st-d"}


def test_candidates_are_blocked_not_all_pairs() -> None:
    """400 articles on distinct events: far fewer candidate pairs than the 79,800 possible."""
    many = [art(f"x{i}", f"حدث رقم {i} في مدينة م{i}", f"وقع الحدث ن{i} ق{i} ك{i} بحضور س{i} وع{i} و{i % 7}")
            for i in range(400)]
    weights = stories._Weights(stories.article_event_words(many, KB))
    blocking = [weights.blocking_words(i) for i in range(len(many))]
    assert len(stories._candidates(blocking, range(len(many)))) < 400 * 5
    assert len(set(story_of(many).values())) == 400


def test_seeds_pair_shares_a_story() -> None:
    """Seed 003 part 1 and seed 004: two outlets on the Laftit–Retailleau meeting in Rabat."""
    articles, _ = extract_paths([ROOT / "seeds"], kb=KB)
    got = {a.id: a.story for a in articles}
    assert got["003_473e30b3f91dada2.1"] == got["004_79cd4dd5d62162ae"]
    others = {got[k] for k in got if k not in ("003_473e30b3f91dada2.1", "004_79cd4dd5d62162ae")}
    assert got["004_79cd4dd5d62162ae"] not in others
    assert len(others) == 4


def test_undated_report_takes_its_day_from_a_dated_report_of_the_same_event():
    """dev_11 is dated by its text; dev_12, the same event elsewhere, says only "أمس الإثنين"."""
    from pathlib import Path

    from builder.pipeline import extract_paths

    folder = Path(__file__).parent / "data" / "dev"
    articles, _ = extract_paths([folder / "dev_11.txt", folder / "dev_12.txt"])
    by_id = {a.id: a for a in articles}
    assert by_id["dev_11"].story == by_id["dev_12"].story
    assert by_id["dev_12"].date.iso() == "2019-06-25" and by_id["dev_12"].date_basis == "text"
    alone, _ = extract_paths([folder / "dev_12.txt"])
    assert alone[0].date is None  # without the sibling, a weekday alone dates nothing
