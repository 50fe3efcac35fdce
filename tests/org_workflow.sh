#!/usr/bin/env bash
# tests/org_workflow.sh CHECKOUT N — the commands of the organisation workflows in docs/ci/
# (org-github-actions.yml, org-gitlab-ci.yml), run in CHECKOUT as their jobs run them: the scan
# job once for each shard K of N, then the merge job. CHECKOUT holds repos.txt and
# mirror-shard.sh; REMOTE says where the repositories are cloned from. tests/it/org_workflow.rs
# checks that the commands below are exactly the workflows' and runs this script on a generated
# fleet; its exit code is the gate's.
set -euo pipefail
cd "${1:?usage: org_workflow.sh CHECKOUT N}"
N=${2:?usage: org_workflow.sh CHECKOUT N}

for K in $(seq 1 "$N"); do
  # --- the scan job's commands, verbatim -------------------------------------------------------
  ./mirror-shard.sh "$K" "$N"
  gluework scan --repos repos.txt --shard "$K/$N" -q --progress never \
    --part "part-$K.json.gz" --json "shard-$K.json" || [ $? -eq 1 ]
done

# --- the merge job's commands, verbatim ----------------------------------------------------------
gluework merge part-*.json.gz -q --out glue-report \
  --events glue-report/events.parquet --csv glue-report/people.csv || [ $? -eq 1 ]
gluework check --report glue-report/gluework.json \
  --max-top-share 0.5 --min-people-for-half 3
