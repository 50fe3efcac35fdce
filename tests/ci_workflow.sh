#!/usr/bin/env bash
# tests/ci_workflow.sh REPO — the commands of the GitLab CI example in docs/ci/ (the GitHub
# example runs action.yml, tested on its own), run on REPO as a CI job runs them: `bash -e`, in
# the checkout, with the window in SINCE, UNTIL and PREVIOUS (which the job computes from
# today's date). tests/it/ci_workflow.rs checks that the gluework commands below are exactly the
# job's and runs this script on a clone of a fixture repository; its exit code is the gate's.
set -euo pipefail
cd "${1:?usage: ci_workflow.sh REPO}"
: "${SINCE:?}" "${UNTIL:?}" "${PREVIOUS:?}"

# --- the workflows' commands, verbatim ---------------------------------------------------------
gluework scan . --since "$SINCE" --until "$UNTIL" --compare-since "$PREVIOUS" \
  --out gluework-report --csv gluework-report/people.csv
gluework check . --since "$SINCE" --until "$UNTIL" \
  --max-top-share 0.5 --min-people-for-half 3 --min-review-coverage 0.6
