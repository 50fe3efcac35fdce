#!/usr/bin/env python3
"""Organisation-scale figures: a generated fleet of repositories scanned whole and in shards,
the shards' parts merged, and the events file's size.

    python3 bench/fleet.py                         # 1,000 repositories, 1, 2 and 8 shards
    python3 bench/fleet.py --repos 100 --shards 1,4
    python3 bench/fleet.py --keep /tmp/fleet       # reuse a generated fleet
    python3 bench/fleet.py --repos 300 --loose --counts 100,200,300 --shards ''
                                                   # memory by repository count, loose objects

The fleet: repositories of long-tailed sizes (most small, a few with thousands of commits),
each with its own range of people from a shared pool of several thousand, so that most people
are in a few repositories and a core of about a hundred is in many (as in an organisation).
For each shard count N it runs the N shard scans one after the other (as N CI jobs would, each
timed alone), then `gluework merge` over the N parts, and prints wall time and peak resident
memory for each, the parts' sizes and the events file's size; it checks that every merge is
byte-identical to the whole scan. Peak memory is each child's own (the script keeps no large data while measuring: a forked
child inherits its parent's high-water mark on Linux). It measures; tests assert nothing about
time.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from common import build, run


def unpack(path):
    """Turns a repository's packs into loose objects, as in a repository people work in (git
    writes loose objects for every commit until `git gc`)."""
    packs = os.path.join(path, "objects", "pack")
    for name in sorted(os.listdir(packs)):
        if not name.endswith(".pack"):
            continue
        pack = os.path.join(packs, name)
        moved = os.path.join(path, name)
        os.rename(pack, moved)
        os.remove(pack[:-5] + ".idx")
        with open(moved, "rb") as f:
            subprocess.run(["git", "--git-dir", path, "unpack-objects", "-q"], stdin=f, check=True)
        os.remove(moved)
        for extra in (".rev", ".bitmap"):
            if os.path.exists(pack[:-5] + extra):
                os.remove(pack[:-5] + extra)


def generate(genrepo, work, count, seed, loose=False):
    """Writes the fleet (reusing what is there) and its list; returns (list file, commits)."""
    rng = random.Random(seed)
    folder = "repos-loose" if loose else "repos"
    os.makedirs(os.path.join(work, folder), exist_ok=True)
    lines, total, jobs = [], 0, []
    for i in range(count):
        commits = min(int(20 + rng.paretovariate(1.3) * 40), 6000)
        authors = rng.randint(6, 40)
        # A tenth of the repositories draw from the core (people 0-99): they are in many.
        first = rng.randint(0, 60) if rng.random() < 0.1 else rng.randint(0, 4000)
        path = os.path.join(work, folder, f"repo-{i:04}.git")
        lines.append(path)
        total += commits
        if not os.path.isdir(path):
            jobs.append([genrepo, "--commits", str(commits), "--authors", str(authors),
                         "--first-author", str(first), "--seed", str(seed * 100_000 + i), path])
    t = time.perf_counter()
    running = []
    for cmd in jobs:
        running.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL))
        if len(running) >= os.cpu_count():
            running.pop(0).wait()
    for p in running:
        p.wait()
    if loose:
        for cmd in jobs:
            unpack(cmd[-1])
    if jobs:
        print(f"generated {len(jobs)} repositories in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    listing = os.path.join(work, "repos.txt")
    with open(listing, "w") as f:
        f.write("\n".join(lines) + "\n")
    return listing, total


def size(path):
    return os.path.getsize(path) / (1 << 20)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repos", type=int, default=1000)
    ap.add_argument("--shards", default="1,2,8")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="folder for the fleet (reused when present)")
    ap.add_argument("--loose", action="store_true",
                    help="objects loose, as in repositories people work in (not packed)")
    ap.add_argument("--counts", default="",
                    help="also scan the first N repositories for each N given (e.g. 100,200,300) "
                         "and print peak memory by repository count, with -j1 and all cores")
    args = ap.parse_args()

    gluework, genrepo = build()
    work = args.keep or tempfile.mkdtemp(prefix="gluework-fleet-")
    listing, commits = generate(genrepo, work, args.repos, args.seed, args.loose)
    out = os.path.join(work, "out")
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, GLUEWORK_CACHE_DIR=os.path.join(work, "cache"))
    common = ["-q", "--no-cache", "--progress", "never"]
    if args.counts:
        by_count(gluework, listing, out, env, common, [int(n) for n in args.counts.split(",") if n])
        if not args.shards:
            return

    whole = os.path.join(out, "whole.json")
    events = os.path.join(out, "events.parquet")
    ndjson = os.path.join(out, "events.ndjson")
    # Once unmeasured, so that every measured run finds the fleet in the page cache (the first
    # read of 1,000 repositories from disk took 16 s instead of 6).
    run([gluework, "scan", "--repos", listing, *common, "--json", os.devnull], env=env)
    wall, rss = run([gluework, "scan", "--repos", listing, *common, "--json", whole,
                     "--events", events], env=env)
    run([gluework, "scan", "--repos", listing, *common, "--json", os.devnull, "--events", ndjson], env=env)
    print(f"cores: {os.cpu_count()}\n")
    print("| run | wall (s) | peak RSS (MiB) | output |")
    print("|---|---:|---:|---|")
    print(f"| whole scan, 1 job | {wall:.1f} | {rss:.0f} | report {size(whole):.1f} MiB; events "
          f"{size(events):.1f} MiB Parquet, {size(ndjson):.1f} MiB NDJSON |")
    for n in [int(s) for s in args.shards.split(",") if s]:
        parts, walls, rsss = [], [], []
        for k in range(1, n + 1):
            part = os.path.join(out, f"part-{k}-of-{n}.json.gz")
            w, r = run([gluework, "scan", "--repos", listing, "--shard", f"{k}/{n}", *common,
                        "--json", os.devnull, "--part", part], env=env)
            parts.append(part)
            walls.append(w)
            rsss.append(r)
        merged = os.path.join(out, f"merged-{n}.json")
        mw, mr = run([gluework, "merge", *parts, "-q", "--json", merged], env=env)
        with open(merged, "rb") as a, open(whole, "rb") as b:
            same = a.read() == b.read()
        total = sum(size(p) for p in parts)
        print(f"| {n} shard{'s' if n > 1 else ''}: slowest shard | {max(walls):.1f} | {max(rsss):.0f} | "
              f"shards sum {sum(walls):.1f} s; parts {total:.1f} MiB (gzip) |")
        print(f"| {n} shard{'s' if n > 1 else ''}: merge | {mw:.1f} | {mr:.0f} | "
              f"{'byte-identical to the whole scan' if same else 'DIFFERS from the whole scan'} |")
        if not same:
            sys.exit("merge differs from the whole scan")
    print()
    fleet_stats(whole, commits)


def by_count(gluework, listing, out, env, common, counts):
    """Peak memory of scanning the first N repositories, for each N: it must not grow with N
    (beyond what the report holds), since each repository is released once scanned."""
    with open(listing) as f:
        paths = [l for l in f.read().split("\n") if l]
    print("| repositories | commits | threads | wall (s) | peak RSS (MiB) |")
    print("|---:|---:|---|---:|---:|")
    for n in counts:
        sub = os.path.join(out, f"first-{n}.txt")
        with open(sub, "w") as f:
            f.write("\n".join(paths[:n]) + "\n")
        commits = 0
        for p in paths[:n]:
            commits += int(subprocess.run(["git", "--git-dir", p, "rev-list", "--count", "HEAD"],
                                          capture_output=True, text=True, check=True).stdout)
        run([gluework, "scan", "--repos", sub, *common, "--json", os.devnull], env=env)
        for label, extra in [("-j1", ["-j1"]), ("all cores", [])]:
            wall, rss = run([gluework, "scan", "--repos", sub, *common, "--json", os.devnull, *extra],
                            env=env)
            print(f"| {n} | {commits:,} | {label} | {wall:.1f} | {rss:.0f} |")
        sys.stdout.flush()
    print()


def fleet_stats(whole, commits):
    """The fleet's shape, read from the whole scan's report (after the measurements: a large
    Python process would inflate the peak memory its children report)."""
    import json
    with open(whole) as f:
        report = json.load(f)
    people = [p for p in report["people"] if not p["bot"]]
    repos_per = [len(p["by_repo"]) for p in people]
    print(f"fleet: {len(report['repositories'])} repositories, {commits:,} commits, "
          f"{len(people):,} people (median {statistics.median(repos_per):.0f} repositories each, "
          f"{sum(1 for n in repos_per if n >= 20)} in 20 or more), "
          f"{sum(len(p['evidence']) for p in people):,} evidence items")


if __name__ == "__main__":
    main()
