#!/usr/bin/env python3
"""gluework's benchmark: a full scan against git's own log, on the same generated repository,
in the same run.

    python3 bench/run.py                       # 10k and 100k commits, 3 runs each
    python3 bench/run.py --sizes 10000 --runs 5
    python3 bench/run.py --repo /path/to/repo  # a real repository instead of generated ones
    python3 bench/run.py --sizes 10000,100000,1000000 --runs 1 --keep /tmp/bench
                                               # growth: each step's ratios are printed at the end
    python3 bench/run.py --shape kernel        # kernel-shaped histories (maintainer merges of
                                               # topic branches, many credit trailers per commit)

For each repository it times, median of N runs:
  git log --no-renames --name-only --format='%H %an %ae %cn %ce %ct%n%B' HEAD   (the same facts)
  gluework scan REPO --json OUT -q --no-cache -j1          (one thread)
  gluework scan REPO --json OUT -q --no-cache              (all cores)
  gluework scan REPO --json OUT -q                         (again, with a warm cache)
and prints wall time, the ratio to git log, commits per second, peak resident memory and the
JSON report's size; with several sizes, each step's ratios of time and memory (growth).
It measures; it asserts nothing (tests never assert on time).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import build, run


def median_run(cmd, runs):
    results = [run(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="commit counts of generated repositories")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repo", action="append", default=[], help="benchmark this repository (repeatable)")
    ap.add_argument("--keep", help="folder for generated repositories (reused when present)")
    ap.add_argument("--shape", choices=["github", "kernel"], default="github",
                    help="generated history's shape (gluework-genrepo --shape)")
    ap.add_argument("--no-warm", action="store_true", help="skip the warm-cache re-scan")
    args = ap.parse_args()

    gluework, genrepo = build()
    work = args.keep or tempfile.mkdtemp(prefix="gluework-bench-")
    os.makedirs(work, exist_ok=True)

    repos = list(args.repo)
    if not repos:
        for n in [int(s) for s in args.sizes.split(",") if s]:
            shape = "" if args.shape == "github" else f"{args.shape}-"
            path = os.path.join(work, f"gen-{shape}{n}-seed{args.seed}.git")
            if not os.path.isdir(path):
                t = time.perf_counter()
                subprocess.run([genrepo, "--commits", str(n), "--seed", str(args.seed),
                                "--shape", args.shape, path], check=True)
                print(f"generated {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            repos.append(path)

    out = os.path.join(work, "report.json")
    print(f"cores: {os.cpu_count()}, runs: {args.runs} (median wall time, max peak RSS)\n")
    print("| repository | commits | command | wall (s) | × git log | commits/s | peak RSS (MiB) | × git log | report (MiB) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    growth = []
    for repo in repos:
        count = int(subprocess.run(["git", "--git-dir" if repo.endswith(".git") else "-C", repo, "rev-list", "--count", "HEAD"],
                                   capture_output=True, text=True, check=True).stdout)
        git_dir = ["--git-dir", repo] if repo.endswith(".git") else ["-C", repo]
        base, base_rss = median_run(["git", *git_dir, "log", "--no-renames", "--name-only",
                                     "--format=%H %an %ae %cn %ce %ct%n%B", "HEAD"], args.runs)
        name = os.path.basename(repo.rstrip("/"))
        if name in ("repo", ".git"):
            # A mirror kept as OWNER+NAME/repo, or a work tree's .git: name it by its folder.
            name = os.path.basename(os.path.dirname(repo.rstrip("/")))
        print(f"| {name} | {count} | git log --name-only | {base:.2f} | 1.00 | {count / base:,.0f} | {base_rss:.0f} | 1.00 | |")
        mib = lambda: os.path.getsize(out) / (1 << 20)
        row = {"commits": count, "git": (base, base_rss)}
        for label, extra in [("gluework scan -j1", ["-j1"]), ("gluework scan (all cores)", [])]:
            wall, rss = median_run([gluework, "scan", repo, "--json", out, "-q", "--no-cache", *extra], args.runs)
            row[label] = (wall, rss)
            print(f"| {name} | {count} | {label} | {wall:.2f} | {wall / base:.2f} | {count / wall:,.0f} | {rss:.0f} | {rss / base_rss:.2f} | {mib():.1f} |")
        if not args.no_warm:
            # Re-scan of an unchanged repository with a warm cache (filled by one untimed run).
            os.environ["GLUEWORK_CACHE_DIR"] = os.path.join(work, "cache")
            run([gluework, "scan", repo, "--json", out, "-q"])
            cold = row["gluework scan (all cores)"][0]
            wall, rss = median_run([gluework, "scan", repo, "--json", out, "-q"], args.runs)
            print(f"| {name} | {count} | gluework scan, warm cache ({cold / wall:.1f}× faster than cold) | {wall:.2f} | {wall / base:.2f} | {count / wall:,.0f} | {rss:.0f} | {rss / base_rss:.2f} | {mib():.1f} |")
        growth.append(row)
        sys.stdout.flush()
    if len(growth) > 1:
        # Growth: each step's ratio of commits, and of time and memory for git log and gluework.
        print("\n| step | × commits | git log: × time | × memory | gluework (all cores): × time | × memory |")
        print("|---|---:|---:|---:|---:|---:|")
        for a, b in zip(growth, growth[1:]):
            g0, g1 = a["git"], b["git"]
            w0, w1 = a["gluework scan (all cores)"], b["gluework scan (all cores)"]
            print(f"| {a['commits']:,} → {b['commits']:,} | {b['commits'] / a['commits']:.1f} | "
                  f"{g1[0] / g0[0]:.1f} | {g1[1] / g0[1]:.1f} | {w1[0] / w0[0]:.1f} | {w1[1] / w0[1]:.1f} |")


if __name__ == "__main__":
    main()
