#!/usr/bin/env bash
# mirror-shard.sh K N — keep bare, blobless mirrors of shard K of N of repos.txt in mirrors/.
#
# repos.txt lists mirrors/<name>.git, one a line (`#` comments and blank lines allowed). A
# repository belongs to shard K when fnv1a64(<name>) mod N + 1 = K, the hash `gluework scan
# --shard` uses, so each job clones only what it scans. Mirrors are cloned from $REMOTE/<name>.git
# (default https://github.com/$ORG, with $TOKEN when set) as `--filter=blob:none` partial clones:
# commits and trees, no file contents, except the two blobs gluework reads (.mailmap and
# .gluework.toml at HEAD), which are fetched here. See docs/org-scale.md.
set -euo pipefail
k=${1:?usage: mirror-shard.sh K N}
n=${2:?usage: mirror-shard.sh K N}
remote=${REMOTE:-https://${TOKEN:+x-access-token:$TOKEN@}github.com/${ORG:?set ORG or REMOTE}}

names=$(K="$k" N="$n" python3 - <<'PY'
import os
k, n = int(os.environ["K"]), int(os.environ["N"])
def shard_of(name):
    h = 0xcbf29ce484222325
    for b in name.encode():
        h = ((h ^ b) * 0x100000001b3) % 2**64
    return h % n + 1
for line in open("repos.txt"):
    line = line.strip()
    if line and not line.startswith("#"):
        name = line.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        if shard_of(name) == k:
            print(name)
PY
)

mkdir -p mirrors
for name in $names; do
  dir="mirrors/$name.git"
  if [ -d "$dir" ]; then
    git -C "$dir" fetch --quiet --prune origin '+refs/heads/*:refs/heads/*'
  elif ! git clone --quiet --bare --filter=blob:none "$remote/$name.git" "$dir"; then
    echo "mirror-shard.sh: cannot clone $name; the scan will report it missing" >&2
    continue
  fi
  for file in .mailmap .gluework.toml; do
    # Reading a blob of a partial clone fetches it; a file the repository lacks is fine.
    git -C "$dir" cat-file -p "HEAD:$file" >/dev/null 2>&1 || true
  done
done
