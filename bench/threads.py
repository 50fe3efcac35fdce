#!/usr/bin/env python3
"""The thread-count ratio alone, measured so that a busy machine disturbs both sides alike:
`gluework scan -j1` and `-jN` run in turn, N times each, and the medians compared.

    python3 bench/threads.py                      # the generated 100k repository (made if missing)
    python3 bench/threads.py --repo PATH --runs 9 --threads 2

It measures; it asserts nothing (tests never assert on time).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

from common import ROOT, build


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", help="repository to scan (default: a generated 100k-commit one)")
    ap.add_argument("--keep", default=os.path.join(ROOT, "target", "bench"),
                    help="folder for the generated repository (reused when present)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()

    gluework, genrepo = build()
    repo = args.repo
    if not repo:
        repo = os.path.join(args.keep, "gen-100000-seed1.git")
        if not os.path.isdir(repo):
            os.makedirs(args.keep, exist_ok=True)
            subprocess.run([genrepo, "--commits", "100000", "--seed", "1", repo], check=True,
                           stdout=subprocess.DEVNULL)

    times = {1: [], args.threads: []}
    for _ in range(args.runs):
        for j in times:
            start = time.perf_counter()
            subprocess.run([gluework, "scan", repo, "--json", os.devnull, "-q", "--no-cache", f"-j{j}"],
                           check=True)
            times[j].append(time.perf_counter() - start)
    one, many = statistics.median(times[1]), statistics.median(times[args.threads])
    print(f"{repo}: -j1 {one:.2f} s, -j{args.threads} {many:.2f} s (medians of {args.runs}, in turn): "
          f"{one / many:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
