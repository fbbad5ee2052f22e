"""Evaluate: score extraction against hand-made labels (schema in tests/data/CORPUS_README.md).

How the score is made, in order:

1. Articles come from the real pipeline (`load_seeds` → `extract_articles`, stories included).
   When a label gives `published` (metadata, not text), it is applied as the curator date, the way
   a curator would; a second run without it checks what the dates stage infers on its own.
2. Labelled parts are mapped to articles by file name and part order. A labelled part with no
   article counts every labelled item as missed; an extra article counts its items as false.
3. Each field is scored as defined beside its scorer below: set-valued fields by micro
   precision/recall/F1 over (article, item) pairs, single-valued fields by accuracy.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import BuilderError, Problem
from .knowledge import Knowledge, load_knowledge
from .model import Article, PartialDate, Seed
from .normalize import fold, strip_clitics, words
from .pipeline import Report, extract_articles, load_seeds
from .stories import date_span

# How far before `published` an inferred article date may lie and still be the same news cycle:
# a clipping can be dated by the event it reports, which is usually days, at most weeks, earlier.
CONTRADICTION_DAYS = 31

# Head nouns of office titles (folded, no article). "Role right" means the predicted role and the
# labelled role share one of these. `نظير` (counterpart) names no office itself, so a label whose
# role is only "نظيره الإسباني" accepts any predicted title word; one with no title word at all
# (e.g. "سيخلفه") accepts any prediction.
TITLE_WORDS = frozenset(fold(w) for w in (
    "وزير", "رئيس", "ملك", "عاهل", "أمير", "سلطان", "ولي", "سفير", "قنصل", "مدير", "مستشار",
    "مبعوث", "ناطق", "متحدث", "نائب", "أمين", "كاتب", "والي", "عامل", "محافظ", "قائد", "مساعد",
    "مفوض", "مندوب", "ممثل", "عمدة", "زعيم", "رئاسة", "وكيل", "مراقب", "نظير",
))
_COUNTERPART = fold("نظير")
_SPACE = re.compile(r"\s+")


# ---- labels -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Label:
    """One labelled article (a whole file, or one part of a file that needs splitting)."""

    id: str
    file: str
    part: int
    data: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key)
        return default if value is None else value

    @property
    def published(self) -> PartialDate | None:
        return PartialDate.parse(self.data["published"]) if self.data.get("published") else None


def load_labels(path: Path) -> tuple[list[Label], dict[str, int]]:
    """Labels in file order, and the number of articles each file holds."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise BuilderError(Problem(str(path), None, f"cannot read the labels file ({err.__class__.__name__}); "
                                   "give --labels FILE or put labels.yaml in the folder")) from None
    labels: list[Label] = []
    counts: dict[str, int] = {}
    for entry in (doc or {}).get("articles") or []:
        parts = entry.get("parts") or [entry]
        counts[entry["file"]] = len(parts)
        labels += [Label(p["id"], entry["file"], n, p) for n, p in enumerate(parts, 1)]
    if not labels:
        raise BuilderError(Problem(str(path), None, "no 'articles:' list in the labels file"))
    return labels, counts


# ---- producing articles -------------------------------------------------------------------------

def with_published(seed: Seed, labels: list[Label]) -> Seed:
    """The seed with each labelled part's `published` applied as the curator's date."""
    dated = [(lab.part, lab.published) for lab in labels if lab.published]
    if not dated:
        return seed
    if len(labels) == 1:
        return replace(seed, facts=replace(seed.facts, published=dated[0][1]))
    own = dict(seed.facts.parts)
    parts = {n: replace(own.get(n, type(seed.facts)()), published=date) for n, date in dated}
    return replace(seed, facts=replace(seed.facts, parts=tuple(sorted({**own, **parts}.items()))))


def produce(folder: Path, labels: list[Label], kb: Knowledge, inject: bool = True) -> tuple[list[Article], list[str]]:
    """Run the real pipeline over `folder`, with label dates applied as curator facts when `inject`."""
    report = Report()
    seeds = load_seeds([folder], kb, report)
    if inject:
        by_file: dict[str, list[Label]] = defaultdict(list)
        for lab in labels:
            by_file[lab.file].append(lab)
        seeds = [with_published(s, by_file.get(Path(s.path).name, [])) for s in seeds]
    return extract_articles(seeds, kb), [str(p) for p in report.problems]


def pair_up(labels: list[Label], articles: list[Article]) -> list[tuple[Label | None, Article | None]]:
    """(label, article) by file name and part order; unmatched sides are None."""
    by_file: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_file[Path(a.file).name].append(a)
    labelled_files = {lab.file for lab in labels}
    pairs: list[tuple[Label | None, Article | None]] = []
    for lab in labels:
        found = by_file.get(lab.file, [])
        pairs.append((lab, found[lab.part - 1] if lab.part <= len(found) else None))
    for name in sorted(labelled_files):
        n_labels = sum(1 for lab in labels if lab.file == name)
        pairs += [(None, a) for a in by_file.get(name, [])[n_labels:]]
    return pairs


# ---- scores -------------------------------------------------------------------------------------

@dataclass
class Score:
    """Counts for one field: tp/fp/fn for set fields, correct/total for accuracy fields."""

    kind: str  # "prf" or "acc"
    tp: int = 0
    fp: int = 0
    fn: int = 0
    correct: int = 0
    total: int = 0
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add_sets(self, where: str, gold: Iterable[str], pred: Iterable[str], ignore: Iterable[str] = ()) -> None:
        gold_s, pred_s, skip = set(gold), set(pred), set(ignore)
        pred_s -= skip - gold_s
        self.tp += len(gold_s & pred_s)
        for item in sorted(gold_s - pred_s):
            self.fn += 1
            self.notes[where].append(f"missed {item}")
        for item in sorted(pred_s - gold_s):
            self.fp += 1
            self.notes[where].append(f"false {item}")

    def add_check(self, where: str, ok: bool, detail: str = "") -> None:
        self.total += 1
        self.correct += ok
        if not ok:
            self.notes[where].append(detail or "wrong")

    def values(self) -> dict[str, float | int]:
        if self.kind == "acc":
            return {"accuracy": round(self.correct / self.total, 4) if self.total else 1.0,
                    "correct": self.correct, "total": self.total}
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _squash(text: str) -> str:
    """Title comparison form: NFC, whitespace runs (incl. no-break spaces) → one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).replace("\xa0", " ")).strip()


def _name_key(name: str) -> str:
    return " ".join(words(name))


def same_person(a: str, b: str) -> bool:
    """Folded names equal (spaces ignored, for عبدالوافي/عبد الوافي) or one contains the other as whole words."""
    x, y = _name_key(a), _name_key(b)
    if not x or not y:
        return False
    if x.replace(" ", "") == y.replace(" ", ""):
        return True
    return f" {x} " in f" {y} " or f" {y} " in f" {x} "


def title_words(role: str) -> set[str]:
    """Office head nouns in a role phrase (see TITLE_WORDS), clitics and feminine ending removed."""
    found = set()
    for token in words(role):
        for form in strip_clitics(token, 3):
            for cand in (form, form[:-1] if form.endswith("ه") else form):
                if cand in TITLE_WORDS:
                    found.add(cand)
    return found


def role_right(gold_role: str, pred_role: str) -> bool:
    gold, pred = title_words(gold_role), title_words(pred_role)
    if gold == {_COUNTERPART} or not gold:
        return bool(pred) or not gold
    return bool(gold & pred)


def _yearless(value: Any) -> str:
    """A label's `MM-DD` or `MM`; YAML reads an unquoted `10` as a number."""
    return f"{value:02d}" if isinstance(value, int) else str(value)


def reference_year(label: Label, article: Article) -> int | None:
    """The year a yearless mention may be resolved against: the label's `published`, else its
    `published_inferred`, else a date the seed's curator gave (seeds carry one in front matter)."""
    ref = label.published or PartialDate.parse(label.get("published_inferred", ""))
    if ref is None and article.date and article.date_basis == "curator":
        ref = article.date
    return ref.year if ref else None


def date_keys(mentions: Iterable[str], label: Label, ref_year: int | None) -> set[str]:
    """Predicted mentions in the label's terms: `--MM-DD`/`--MM` stay yearless; a mention resolved to
    `YYYY-MM[-DD]` also counts as the labelled yearless `MM[-DD]` when its year is the reference year
    (published or inferred) or the year before (`... الماضي` across New Year), and the label does not
    list it with a year."""
    yearless = {_yearless(v) for v in label.get("text_dates_yearless", [])}
    full = {str(v) for v in label.get("text_dates", [])}
    out = set()
    for m in mentions:
        if m.startswith("--"):
            out.add(m)
        elif m not in full and ref_year and m[5:] in yearless and int(m[:4]) in (ref_year, ref_year - 1):
            out.add("--" + m[5:])
        else:
            out.add(m)
    return out


def contradicts(date: PartialDate, published: PartialDate) -> bool:
    """The article date cannot be right: wholly after `published`, or wholly more than
    CONTRADICTION_DAYS before it (partial dates compare as the interval they cover)."""
    first, last = date_span(date)
    p_first, p_last = date_span(published)
    return first > p_last or (p_first - last).days > CONTRADICTION_DAYS


FIELDS = (
    "split", "title", "outlet_named", "outlet_unnamed", "countries_mentioned", "countries_primary",
    "officials", "official_country", "official_role", "dates", "date_inferred", "date_vs_published",
    "topics", "topic_main", "stories_same", "stories_related_apart",
)
# Single-valued fields, scored by accuracy; the rest are micro precision/recall/F1.
ACCURACY_FIELDS = frozenset({"split", "title", "outlet_named", "outlet_unnamed", "official_country",
                             "official_role", "date_inferred", "date_vs_published", "topic_main",
                             "stories_related_apart"})


def score(labels: list[Label], counts: dict[str, int], articles: list[Article],
          undated_run: list[Article]) -> dict[str, Score]:
    """Every field's score for one labelled folder."""
    s = {name: Score("acc" if name in ACCURACY_FIELDS else "prf") for name in FIELDS}

    found = defaultdict(int)
    for a in articles:
        found[Path(a.file).name] += 1
    for name, n in sorted(counts.items()):
        s["split"].add_check(name, found[name] == n, f"{found[name]} articles, labelled {n}")

    pairs = pair_up(labels, articles)
    undated = {lab.id: a for lab, a in pair_up(labels, undated_run) if lab}
    for lab, art in pairs:
        where = lab.id if lab else f"{art.id} (not labelled)"
        gold = lab.data if lab else {}
        g = lambda k: gold.get(k) or []  # noqa: E731
        _score_title(s, where, lab, art)
        _score_outlet(s, where, lab, art)
        s["countries_mentioned"].add_sets(where, g("countries_mentioned"), art.countries if art else (),
                                          ignore=g("countries_implicit"))
        s["countries_primary"].add_sets(where, g("countries_primary"), art.countries_primary if art else ())
        s["topics"].add_sets(where, g("topics"), art.topics if art else ())
        if lab and gold.get("topic_main"):
            got = art.topics[0] if art and art.topics else "none"
            s["topic_main"].add_check(where, got == gold["topic_main"], f"main topic {got}, labelled {gold['topic_main']}")
        _score_officials(s, where, gold, art)
        gold_dates = {str(v) for v in g("text_dates")} | {f"--{_yearless(v)}" for v in g("text_dates_yearless")}
        pred_dates = date_keys(art.dates, lab, reference_year(lab, art)) if (art and lab) else set(art.dates if art else ())
        s["dates"].add_sets(where, gold_dates, pred_dates)
        if lab and lab.get("published_inferred") and not lab.published:
            got = art.date.iso() if art and art.date else "none"
            s["date_inferred"].add_check(where, got == lab.get("published_inferred"),
                                         f"date {got}, inferred from text {lab.get('published_inferred')}")
        if lab and lab.published:
            own = undated.get(lab.id)
            if own and own.date:
                # Without the label's date, does the dates stage infer one that cannot be right?
                s["date_vs_published"].add_check(where, not contradicts(own.date, lab.published),
                                                   f"text date {own.date.iso()} contradicts published {lab.published.iso()}")
    _score_stories(s, pairs)
    return s


def _score_title(s: dict[str, Score], where: str, lab: Label | None, art: Article | None) -> None:
    if lab and lab.get("title"):
        got = _squash(art.title) if art else "(no article)"
        s["title"].add_check(where, got == _squash(lab.get("title")), f"title {got!r}")


def _score_outlet(s: dict[str, Score], where: str, lab: Label | None, art: Article | None) -> None:
    if lab is None:
        return
    got = art.outlet if art else ""
    if lab.get("outlet_named_in_text"):
        names = {fold(v).replace(" ", "") for v in (lab.get("outlet") or {}).values() if isinstance(v, str)}
        s["outlet_named"].add_check(where, fold(got).replace(" ", "") in names, f"outlet {got or 'none'!r}")
    else:
        s["outlet_unnamed"].add_check(where, not got, f"outlet {got!r} though the text names none")


def _score_officials(s: dict[str, Score], where: str, gold: dict[str, Any], art: Article | None) -> None:
    """Officials by person: a prediction matches a labelled official by `same_person`, one to one;
    predictions that match a borderline official are not counted either way."""
    preds = list(art.officials) if art else []
    border = [b["name"] for b in gold.get("officials_borderline") or []]
    preds = [p for p in preds if not any(same_person(p.name, b) for b in border)]
    sc = s["officials"]
    for off in gold.get("officials") or []:
        match = next((p for p in preds if same_person(p.name, off["name"])), None)
        if match is None:
            sc.fn += 1
            sc.notes[where].append(f"missed {off['name']}")
            continue
        preds.remove(match)
        sc.tp += 1
        s["official_country"].add_check(where, match.country == off["country"],
                                        f"{off['name']}: country {match.country or 'none'}, labelled {off['country']}")
        s["official_role"].add_check(where, role_right(off["role"], match.role),
                                     f"{off['name']}: role {match.role!r}, labelled {off['role']!r}")
    for p in preds:
        sc.fp += 1
        sc.notes[where].append(f"false {p.name} ({p.role})")


def _score_stories(s: dict[str, Score], pairs: list[tuple[Label | None, Article | None]]) -> None:
    """Pairwise: labelled `same_event_as` pairs against pairs the builder put in one story
    (so over-merging costs precision); `related_to` pairs must be in different stories."""
    story = {lab.id: art.story for lab, art in pairs if lab and art}
    ids = sorted(story)
    gold_same, gold_related = set(), set()
    for lab, _ in pairs:
        if lab is None:
            continue
        for other in lab.get("same_event_as", []):
            gold_same.add(tuple(sorted((lab.id, str(other)))))
        for other in lab.get("related_to", []):
            gold_related.add(tuple(sorted((lab.id, str(other)))))
    pred_same = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if story[a] == story[b]}
    s["stories_same"].add_sets("stories", {f"{a} + {b}" for a, b in gold_same},
                               {f"{a} + {b}" for a, b in pred_same})
    for a, b in sorted(gold_related):
        s["stories_related_apart"].add_check("stories", (a, b) not in pred_same, f"{a} + {b} merged but only related")


# ---- the command --------------------------------------------------------------------------------

def evaluate(folder: Path, labels_path: Path | None = None, kb: Knowledge | None = None) -> dict[str, Score]:
    """Score the pipeline on `folder` against its labels (default FOLDER/labels.yaml)."""
    kb = kb or load_knowledge()
    labels, counts = load_labels(labels_path or folder / "labels.yaml")
    if not folder.is_dir():
        raise BuilderError(Problem(str(folder), None, "is not a folder of seed files"))
    articles, problems = produce(folder, labels, kb, inject=True)
    undated, _ = produce(folder, labels, kb, inject=False)
    for problem in problems:
        print(problem, file=sys.stderr)
    return score(labels, counts, articles, undated)


def flat(scores: dict[str, Score]) -> dict[str, dict[str, float | int]]:
    """Scores as plain numbers: {field: {precision, recall, f1, …} or {accuracy, correct, total}}."""
    return {name: sc.values() for name, sc in scores.items()}


def table(scores: dict[str, Score]) -> str:
    """A fixed-width table: one row per field."""
    rows = [f"{'field':<22} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6}   counts"]
    for name, sc in scores.items():
        v = sc.values()
        if sc.kind == "prf":
            rows.append(f"{name:<22} {v['precision']:>6.3f} {v['recall']:>6.3f} {v['f1']:>6.3f} {'':>6}   "
                        f"tp={v['tp']} fp={v['fp']} fn={v['fn']}")
        else:
            rows.append(f"{name:<22} {'':>6} {'':>6} {'':>6} {v['accuracy']:>6.3f}   {v['correct']}/{v['total']}")
    return "\n".join(rows)


def misses(scores: dict[str, Score]) -> str:
    """Every miss and false positive, grouped by article then field."""
    by_article: dict[str, list[str]] = defaultdict(list)
    for name, sc in scores.items():
        for where, notes in sc.notes.items():
            by_article[where] += [f"  {name}: {n}" for n in notes]
    return "\n".join(f"{where}\n" + "\n".join(lines) for where, lines in sorted(by_article.items()) if lines)


def main(args: argparse.Namespace) -> int:
    """`digest evaluate FOLDER [--labels FILE] [--json] [--verbose]`."""
    folder = Path(args.folder)
    scores = evaluate(folder, Path(args.labels) if args.labels else None)
    if args.json:
        out: dict[str, Any] = flat(scores)
        if args.verbose:  # stay one JSON document: misses go under their own key
            out["misses"] = {name: {w: n for w, n in sc.notes.items() if n} for name, sc in scores.items()}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(table(scores))
    if args.verbose:
        print("\n" + misses(scores))
    return 0
