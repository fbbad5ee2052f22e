"""Command line: a thin layer that turns builder errors into messages and exit codes.

Exit codes: 0 success; 1 the build finished with errors (or warnings under --strict);
2 wrong usage; 3 the project itself is broken (knowledge tables, mkdocs.yml).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import BuilderError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BROKEN = 0, 1, 2, 3


def _cmd_extract(args: argparse.Namespace) -> int:
    from .export import article_record
    from .pipeline import extract_paths

    articles, report = extract_paths([Path(p) for p in args.paths])
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if args.json:
        for article in articles:
            print(json.dumps(article_record(article), ensure_ascii=False))
    else:
        for article in articles:
            date = article.date.iso() if article.date else "—"
            print(f"{article.id}\t{date}\t{article.outlet or '—'}\t{article.title}")
    return EXIT_PROBLEMS if report.errors else EXIT_OK


def _project(args: argparse.Namespace) -> Path:
    project = Path(args.project).resolve()
    if not (project / "mkdocs.yml").is_file():
        raise BuilderError(f"{project}: no mkdocs.yml here; run from the digest's folder or pass --project DIR")
    return project


def _print_problems(problems, quiet: bool = False) -> None:
    for problem in problems:
        if quiet and problem.severity != "error":
            continue
        print(f"{problem.severity}: {problem}", file=sys.stderr)


def _cmd_build(args: argparse.Namespace) -> int:
    import os

    from .pipeline import build

    project = _project(args)
    result = build(project, strict=args.strict, force=args.force)
    _print_problems(result.report.problems)
    if result.skipped:
        print("content/ is up to date (no seed, setting or rule changed)", file=sys.stderr)
    else:
        print(f"{len(result.built)} articles from {result.report.seeds_read} seeds "
              f"({result.report.seeds_skipped} skipped); content/: {result.written} written, "
              f"{result.removed} removed, {result.unchanged} unchanged; "
              f"{result.cache_hits} seeds from cache", file=sys.stderr)
    if result.report.errors and args.strict:
        return EXIT_PROBLEMS
    if args.content_only:
        if args.keep is not None:
            args.keep.append(result)  # for `run`, which exits without freeing it
        return EXIT_PROBLEMS if result.report.errors else EXIT_OK
    errors = bool(result.report.errors)
    del result  # what the build holds (the cache above all) is not kept while MkDocs runs
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), strict=args.strict)
        mkdocs_build(config)
    except MkDocsException as err:
        print(f"error: mkdocs: {err}", file=sys.stderr)
        return EXIT_PROBLEMS
    except SystemExit as err:  # mkdocs aborts strict builds this way
        return EXIT_PROBLEMS if err.code else EXIT_OK
    print(f"site written to {config.site_dir}", file=sys.stderr)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import doubts
    from .pipeline import extract_paths

    paths = [Path(p) for p in args.paths] or [Path("seeds")]
    articles, report = extract_paths(paths, base=Path.cwd())
    _print_problems(report.problems)
    found = doubts(articles)
    for line in found:
        print(line)
    print(f"{len(articles)} articles checked: {len(report.errors)} seeds skipped, "
          f"{len(report.warnings)} warnings, {len(found)} doubts", file=sys.stderr)
    return EXIT_PROBLEMS if report.errors else EXIT_OK


def _cmd_add(args: argparse.Namespace) -> int:
    from .add import add_clipping

    project = _project(args)
    raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    try:
        path = add_clipping(project / "seeds", raw, source=args.file)
    except BuilderError as err:  # the clipping's fault, not the project's
        print(f"error: {err}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"added {path.relative_to(project)}: fill in its curator facts (published, outlet, url) and run `make serve`")
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import main as evaluate_main

    return evaluate_main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest",
        description="Build an Arabic news-digest site from raw clippings in seeds/.",
        epilog="Daily loop: `digest add clipping.txt`, edit its curator facts, `make serve` to preview, "
               "`digest build --strict` before publishing. Exit codes: 0 ok, 1 problems in seeds, "
               "2 wrong usage, 3 broken project (knowledge tables, mkdocs.yml).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="seeds/ → content/ → site/ (what CI and `make build` run)",
                       description="Build the digest: extract every seed into content/, then render the site with MkDocs.")
    p.add_argument("--strict", action="store_true", help="fail on any warning, writing nothing (CI uses this)")
    p.add_argument("--content-only", action="store_true", help="write content/ but do not run MkDocs")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    p.add_argument("--project", default=".", metavar="DIR", help="the digest's folder (default: here)")
    p.set_defaults(run=_cmd_build)

    p = sub.add_parser("check", help="list what the builder was unsure of, per seed",
                       description="Extract seeds and list doubts a curator should look at: undated articles, "
                                   "unknown outlets, generated titles, no topic, officials without a country.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="seed files or folders (default: seeds/)")
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("add", help="store a new clipping in seeds/ with an empty curator-facts block",
                       description="Store a clipping under a stable name (number + content hash) with a curator-facts "
                                   "template on top. Refuses a clipping whose text is already in seeds/.")
    p.add_argument("file", metavar="FILE|-", help="a text file, or - to read the clipping from standard input")
    p.add_argument("--project", default=".", metavar="DIR", help="the digest's folder (default: here)")
    p.set_defaults(run=_cmd_add)

    p = sub.add_parser("extract", help="print what the builder understands of each article",
                       description="Extract articles from seed files or folders and print them.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="seed file or folder of seeds")
    p.add_argument("--json", action="store_true", help="one JSON object per article (the data interface)")
    p.set_defaults(run=_cmd_extract)

    p = sub.add_parser("evaluate", help="score extraction against a labels file",
                       description="Score extraction against hand-made labels (precision/recall/F1 per field).")
    p.add_argument("folder", metavar="FOLDER", help="folder of .txt files with a labels.yaml")
    p.add_argument("--labels", metavar="FILE", help="labels file (default: FOLDER/labels.yaml)")
    p.add_argument("--json", action="store_true", help="print scores as JSON")
    p.add_argument("--verbose", "-v", action="store_true", help="list every miss and false positive")
    p.set_defaults(run=_cmd_evaluate)
    return parser


def main(argv: list[str] | None = None, keep: list | None = None) -> int:
    """Run a command; `keep` receives what a build made (the site, the loaded cache) when the
    caller would rather drop it with the process than free it (`run`)."""
    args = build_parser().parse_args(argv)
    args.keep = keep
    try:
        return args.run(args)
    except OSError as err:
        print(f"error: {err.filename or ''}: {err.strerror}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BuilderError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BROKEN
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The `digest` command (and `python -m builder`): `main`, then exit without tearing down the
    interpreter. A build leaves millions of objects (the site, the cache) that the process is about
    to drop anyway; freeing them one by one cost ~0.13 s of a one-seed build at 10,000 seeds.
    Only here: library callers (tests, the MkDocs hook) keep Python's normal exit, and so does a
    run under a profiler or a tracer (cProfile, coverage), which write their results at exit."""
    kept: list = []
    code = main(keep=kept)
    if sys.getprofile() or sys.gettrace():
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: what was printed is lost either way, the exit code is not
        pass
    os._exit(code)
