"""Run the benchmark: `python -m bench [--sizes 1000 10000] [--repeat 3]`.

For each corpus size it generates the seeds, then measures, each in a fresh process (wall time,
CPU time of the process and its children, peak resident memory via wait4):

    builder cold        content/ and cache removed, `digest build --content-only --force`
    builder no-op       the same build again with nothing changed
    builder one seed    one seed edited, then built
    mkdocs build        MkDocs on the built content/ (the hook finds nothing to do)
    pipeline cold       content/ and site/ removed, `mkdocs build` does everything
    hugo                Hugo on an equivalent minimal site of the same articles

Medians of --repeat runs. Prints a Markdown table and writes bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .generate import generate
from .hugo import make_site

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = REPO / "bench" / "out"


def run(cmd: list[str], cwd: Path) -> dict:
    """Run one command; wall seconds, CPU seconds (user+sys) and peak RSS in MiB."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed in {cwd} ({proc.returncode}):\n{err[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def project(folder: Path, count: int) -> Path:
    """A digest project with `count` generated seeds."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("mkdocs.yml", "theme_overrides"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, folder / name)
    (folder / "builder").mkdir()
    shutil.copy2(REPO / "builder/hooks.py", folder / "builder/hooks.py")
    shutil.copytree(REPO / "builder/data", folder / "builder/data")
    (folder / "content").mkdir()
    generate(folder / "seeds", count)
    return folder


def median(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


STAGES = ("builder_cold", "builder_noop", "builder_one_seed", "mkdocs_build", "pipeline_cold", "hugo")
BUILDER_STAGES = STAGES[:3]


def measure(count: int, repeat: int, out: Path = OUT, stages: tuple[str, ...] = STAGES) -> dict:
    """Medians of `repeat` rounds of `stages` on a fresh project of `count` generated seeds."""
    root = project(out / f"n{count}", count)
    digest = [str(BIN / "python"), "-m", "builder", "build", "--content-only", "--project", str(root)]
    mkdocs = [str(BIN / "mkdocs"), "build", "--quiet"]
    results: dict[str, list[dict]] = {k: [] for k in stages}
    seed = sorted((root / "seeds").glob("*.txt"))[count // 2]
    original = seed.read_text(encoding="utf-8")

    # A cold stage starts without its old output, which is moved aside and deleted after the
    # measurements: ext4 creates files slowly for seconds after thousands were deleted (its inode
    # allocator scans for recently deleted inodes: 45% of a profiled write phase), and that would
    # measure the previous run's cleanup, not this build.
    trash = out / f".trash-n{count}"
    shutil.rmtree(trash, ignore_errors=True)

    def fresh(*folders: Path) -> None:
        for folder in folders:
            if folder.exists():
                trash.mkdir(exist_ok=True)
                folder.rename(trash / str(len(list(trash.iterdir()))))
        (root / "content").mkdir(exist_ok=True)

    for i in range(repeat):
        fresh(root / "content", root / "site")
        results["builder_cold"].append(run(digest + ["--force"], root))
        if "builder_noop" in results:
            results["builder_noop"].append(run(digest, root))
        if "builder_one_seed" in results:
            seed.write_text(original + f"\nفقرة أضافها المحرر في الجولة {i}.\n", encoding="utf-8")
            results["builder_one_seed"].append(run(digest, root))
        if "mkdocs_build" in results:
            results["mkdocs_build"].append(run(mkdocs, root))
        if "pipeline_cold" in results:
            fresh(root / "content", root / "site")
            results["pipeline_cold"].append(run(mkdocs, root))
        if "hugo" in results:
            hugo_site = out / f"hugo{count}"
            if i == 0:  # the same articles every round
                fresh(hugo_site)
                make_site(root / "content", hugo_site)
            fresh(hugo_site / "public")
            results["hugo"].append(run(["hugo", "--quiet"], hugo_site))
    seed.write_text(original, encoding="utf-8")
    shutil.rmtree(trash, ignore_errors=True)
    summary: dict = {k: median(v) for k, v in results.items()}
    summary["articles"] = len(list((root / "content/articles").glob("*.md")))
    summary["seeds"] = count
    summary["output_mib"] = sum(p.stat().st_size for p in (root / "content").rglob("*") if p.is_file()) / 2**20
    return summary


def table(all_results: dict[int, dict]) -> str:
    """The results as a Markdown table (a stage not measured shows —) and a few ratios."""
    rows = ["| stage | " + " | ".join(f"N={n} wall s | CPU s | peak MiB" for n in all_results) + " |",
            "| --- | " + " | ".join("---: | ---: | ---:" for _ in all_results) + " |"]
    for stage in STAGES:
        if not any(stage in r for r in all_results.values()):
            continue
        cells = []
        for r in all_results.values():
            m = r.get(stage)
            cells.append(f"{m['wall']:.2f} | {m['cpu']:.2f} | {m['rss_mib']:.0f}" if m else "— | — | —")
        rows.append(f"| {stage.replace('_', ' ')} | " + " | ".join(cells) + " |")
    lines = ["\n".join(rows), ""]
    for n, r in all_results.items():
        rate = r["articles"] / r["builder_cold"]["wall"]
        line = (f"- N={n}: {r['articles']} articles, {r['output_mib']:.0f} MiB in content/; "
                f"builder {rate:.0f} articles/s cold")
        if "pipeline_cold" in r and "hugo" in r:
            line += f"; pipeline / Hugo = {r['pipeline_cold']['wall'] / r['hugo']['wall']:.1f}×"
        lines.append(line)
    sizes = sorted(all_results)
    if len(sizes) > 1 and all("pipeline_cold" in all_results[n] for n in sizes):
        small, big = all_results[sizes[0]], all_results[sizes[-1]]
        lines.append(f"- pipeline N={sizes[-1]} / N={sizes[0]} = "
                     f"{big['pipeline_cold']['wall'] / small['pipeline_cold']['wall']:.1f}× "
                     f"for {sizes[-1] / sizes[0]:.0f}× the articles")
    return "\n".join(lines)


def write_results(out: Path, all_results: dict[int, dict]) -> Path:
    """results.json beside the projects: the machine, then every median."""
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    path = out / "results.json"
    path.write_text(json.dumps({"machine": machine, "results": all_results}, indent=2), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT, help="where projects and results.json go (default bench/out)")
    args = parser.parse_args(argv)
    if not shutil.which("hugo"):
        print("bench: hugo is not installed (Debian: apt-get install hugo)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    all_results = {}
    for n in args.sizes:
        print(f"bench: N={n}…", file=sys.stderr)
        all_results[n] = measure(n, args.repeat, out=args.out.resolve())
    print(table(all_results))
    write_results(args.out, all_results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
