"""Cleaning, splitting, titles and summaries: inline Arabic input beside the expected output."""

from __future__ import annotations

import pytest

from builder.clean import clean
from builder.knowledge import load_knowledge
from builder.model import CuratorFacts, Part, Seed
from builder.split import split
from builder.summary import generate_title, summarize

KB = load_knowledge()

LEDE = "أكد وزير الداخلية عبد الوافي لفتيت، اليوم الثلاثاء بالرباط، أن المغرب واسبانيا يرتبطان بشراكة أمنية مبنية على الثقة المتبادلة."
BODY = "وأبرز أن التعاون الأمني بين البلدين تؤطره مجموعة من الاتفاقيات الثنائية، يتم تفعيلها عبر آليات العمل المشترك والتنسيق المستمر."
MORE = "كما نوه بالعمل الجبار الذي تقوم به المصالح الأمنية من أجل حماية المملكة من الهجمات الإرهابية في كل الظروف والأحوال."


EXTRA = "واتفق الوزيران على ضرورة توسيع وتعزيز حقل التعاون الثنائي وخاصة في مجالي الوقاية المدنية."


def seed(*lines: str) -> Seed:
    return Seed("seeds/t.txt", "t", "\n".join(lines), 1, CuratorFacts(), "0")


def cleaned(*lines: str) -> tuple[list[str], list[str]]:
    kept, noise = clean(seed(*lines), KB)
    return [line.text for line in kept], [line.text for line in noise]


def parts(*lines: str) -> list[Part]:
    s = seed(*lines)
    kept, noise = clean(s, KB)
    return split(s, kept, noise, KB)


@pytest.mark.parametrize("chrome", [
    "زر الذهاب إلى الأعلى",
    "error: المحتوى محمي !!",
    "الأخبار55 - مراسلة",
    "المصدر: هسبريس",
    "يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم المحمول.",
    "تابع آخبار تليكسبريس على akhbar",
    "#المغرب #فرنسا",
    "------------------------",
    "000 34PX8EU",
    "شارك على فيسبوك",
    "أضف تعليقك أو رأيك",
    "مصدر الصورة: رويترز",
    "تصوير: محمد العلوي",
])
def test_chrome_lines_are_noise(chrome: str) -> None:
    assert cleaned(LEDE, chrome, BODY) == ([LEDE, BODY], [chrome])


def test_source_label_takes_its_value_on_the_next_line() -> None:
    assert cleaned(LEDE, BODY, "المصدر:", "هسبريس") == ([LEDE, BODY], ["المصدر:", "هسبريس"])


def test_chrome_prefix_is_cut_and_the_paragraph_kept() -> None:
    kept, noise = cleaned("AHDATH.INFO- الرباط 7 يونيو 2016/ومع/ تمكنت مصالح الأمن من توقيف سبعة أشخاص.", BODY)
    assert kept == ["الرباط 7 يونيو 2016/ومع/ تمكنت مصالح الأمن من توقيف سبعة أشخاص.", BODY]
    assert noise == ["AHDATH.INFO"]


def test_chrome_line_alone_is_noise() -> None:
    assert cleaned("AHDATH.INFO", LEDE) == ([LEDE], ["AHDATH.INFO"])


def test_leading_section_label_is_noise_but_not_later() -> None:
    assert cleaned("سياسة", LEDE) == ([LEDE], ["سياسة"])
    assert cleaned(LEDE, "سياسة", BODY)[0] == [LEDE, "سياسة", BODY]


def test_related_marker_drops_its_teaser_headlines_only() -> None:
    kept, noise = cleaned(
        LEDE,
        "اقرأ أيضا: كأس العالم: رئيس الشيشان \"استغل\" محمد صلاح لتحقيق مكاسب سياسية",
        "قط أصم يتنبأ بنتائج مباريات كأس العالم",
        BODY,
    )
    assert kept == [LEDE, BODY]
    assert noise[1] == "قط أصم يتنبأ بنتائج مباريات كأس العالم"


def test_tail_block_drops_everything_after() -> None:
    kept, noise = cleaned(LEDE, BODY, "أخبار ذات صلة >", "توقيف مغربي بمليلية المحتلة بحوزته أسلحة", "عائلة تشكر المعزين")
    assert kept == [LEDE, BODY]
    assert len(noise) == 3


def test_repeated_standfirst_is_dropped_once() -> None:
    assert cleaned(LEDE, BODY, LEDE, MORE) == ([LEDE, BODY, MORE], [LEDE])


def test_article_sentences_that_look_like_chrome_words_are_kept() -> None:
    sentence = "شارك المغرب في أشغال المؤتمر الدولي حول الأمن بحضور وفود من عدة دول."
    source = "وحسب المصدر ذاته، فقد تم الاحتفاظ بالمعني بالأمر تحت تدبير الحراسة النظرية."
    assert cleaned(LEDE, sentence, source) == ([LEDE, sentence, source], [])


def test_title_then_repeated_and_truncated_title_lines() -> None:
    title = "المغرب وفرنسا يعتمدان خارطة طريق جديدة للتعاون في مجالي الأمن والهجرة"
    [part] = parts(title, "", "المغرب وفرنسا يعتمدان خارطة طريق", "", "الأخبار55 - مراسلة", LEDE, BODY)
    assert (part.title, [p.text for p in part.paragraphs]) == (title, [LEDE, BODY])
    [part] = parts(title, title, LEDE)
    assert [p.text for p in part.paragraphs] == [LEDE]


def test_no_title_when_the_text_opens_with_a_sentence() -> None:
    [part] = parts(LEDE, BODY)
    assert part.title is None


def test_question_and_quoted_headlines_are_titles() -> None:
    assert parts("ماذا تتضمن خطة المغرب لمواجهة عودة الجهاديين؟", "", LEDE)[0].title.endswith("؟")
    assert parts('الشرطة المغربية في باريس للتعرف على "أطفال الشوارع"', "", LEDE)[0].title.endswith('"')


SECOND_HEAD = "وزير الخارجية العراقي: العراق يؤدي دورًا محوريًا في إطفاء بؤر التوتر في المنطقة"
SECOND_LEDE = ("أكد نائب رئيس مجلس الوزراء وزير الخارجية العراقي فؤاد حسين اليوم، أن العراق يؤدي دورًا محوريًا "
               "في إطفاء بؤر التوتر في المنطقة، من خلال سياسة خارجية متوازنة.")
SECOND_BODY = "وأشار إلى التحولات الكبيرة في موازين القوى في المنطقة، وما تتركه من تأثيرات على الأوضاع."


def test_second_headline_with_restating_lede_splits() -> None:
    first, second = parts("المغرب وفرنسا يبحثان قضايا الأمن", "", LEDE, BODY, MORE, EXTRA, "", SECOND_HEAD, "", SECOND_LEDE, SECOND_BODY,
                          "------", "يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي.")
    assert (first.count, first.title, second.title) == (2, "المغرب وفرنسا يبحثان قضايا الأمن", SECOND_HEAD)
    assert [p.text for p in second.paragraphs] == [SECOND_LEDE, SECOND_BODY]
    assert first.noise == () and len(second.noise) == 2  # closing chrome belongs to the last article


@pytest.mark.parametrize("subheading", [
    "قنبلة موقوتة",  # too short to be a headline
    "أطفال الشوارع بالدائرة 18 مصدر قلق للسلطات الفرنسية",  # the next paragraph does not restate it
])
def test_inline_subheading_stays_in_the_body(subheading: str) -> None:
    [part] = parts("عنوان المقال الرئيسي عن الأمن", LEDE, BODY, MORE, subheading, SECOND_BODY + " " + MORE)
    assert subheading in [p.text for p in part.paragraphs]


def test_no_split_before_a_complete_article() -> None:
    # The headline comes after a single paragraph: the text before it is not a whole article.
    [part] = parts(LEDE, SECOND_HEAD, SECOND_LEDE)
    assert part.count == 1


def test_related_headline_run_inside_body_is_noise() -> None:
    [part] = parts("الكويت تطرد السفير الفلبيني", "", LEDE, BODY,
                   "حكم بإعدام لبناني وسورية لإدانتهما بقتل خادمة فلبينية في الكويت",
                   "جدل بين الكويت والفلبين بعد مقتل خادمة", MORE)
    assert [p.text for p in part.paragraphs] == [LEDE, BODY, MORE]
    assert [n.text for n in part.noise] == ["حكم بإعدام لبناني وسورية لإدانتهما بقتل خادمة فلبينية في الكويت",
                                            "جدل بين الكويت والفلبين بعد مقتل خادمة"]


@pytest.mark.parametrize("lede, title", [
    ("قال الفريق فلاح الكيناني، مساعد وزير الداخلية العراقي، إن “هناك تعاونا أمنيا بين الرباط وبغداد على المستوى "
     "العالي يشمل كل المجالات ذات الطبيعة الأمنية”.",
     "الكيناني: هناك تعاونا أمنيا بين الرباط وبغداد على المستوى العالي"),
    (LEDE, "لفتيت: المغرب واسبانيا يرتبطان بشراكة أمنية مبنية على الثقة المتبادلة"),
    ("قال الوزير المنتدب المكلف بالعلاقات مع البرلمان، مصطفى الخلفي، اليوم الخميس بالرباط، إن عدد محاولات الهجرة "
     "السرية تجاوز 30 ألف محاولة، وهو ما يعكس المجهود الكبير.",
     "الخلفي: عدد محاولات الهجرة السرية تجاوز 30 ألف محاولة"),
    ("تمكنت مصالح المديرية العامة للأمن الوطني، أمس الاثنين، من توقيف سبعة أشخاص بكل من مدن الرباط وسلا وفاس "
     "وسيدي سليمان وتارودانت.",
     "تمكنت مصالح المديرية العامة للأمن الوطني من توقيف سبعة أشخاص"),
    ("في ساعات متأخرة من مساء يوم أمس الإثنين، أعلن المغرب مشاركته في مؤتمر \"ورشة الازدهار من أجل السلام\"، "
     "بالعاصمة البحرينية المنامة.",
     "أعلن المغرب مشاركته في مؤتمر \"ورشة الازدهار من أجل السلام\""),
])
def test_generated_titles(lede: str, title: str) -> None:
    assert generate_title([lede, BODY]) == title


def test_generated_title_has_no_dangling_word() -> None:
    title = generate_title(["أعلنت السلطات المحلية في المدينة عن إطلاق برنامج واسع لإعادة تأهيل الطرق والمساحات الخضراء في كل الأحياء القديمة للمدينة."])
    assert len(title.split()) <= 12 and title.split()[-1] not in ("في", "من", "كل", "على")


def test_summary_is_the_lede_without_dateline_and_cut_at_a_word() -> None:
    assert summarize(["الرباط 7 يونيو 2016/ومع/ تمكنت مصالح الأمن من توقيف سبعة أشخاص. وأضاف المصدر أن البحث جار."]) == \
        "تمكنت مصالح الأمن من توقيف سبعة أشخاص. وأضاف المصدر أن البحث جار."
    long = summarize([" ".join(["كلمة"] * 200) + "."])
    assert len(long) <= 301 and long.endswith("…") and "كلمة…" in long
    assert summarize(["قنبلة موقوتة", LEDE]) == LEDE
