"""Command line: a thin layer that turns builder errors into messages and exit codes.

Exit codes: 0 success; 1 the build finished with errors (or warnings under --strict);
2 wrong usage; 3 the project itself is broken (knowledge tables, mkdocs.yml).
"""

from __future__ import annotations

import argparse
import json
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


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import main as evaluate_main

    return evaluate_main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest",
        description="Build an Arabic news-digest site from raw clippings in seeds/.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BuilderError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BROKEN
    except KeyboardInterrupt:
        return 130
