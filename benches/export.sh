#!/usr/bin/env bash
# Export and import on the benchmark repository (10,000 risks, 400 assessments, 1,000
# sign-offs): the risk register and action plan as CSV, the workbook, the calendar, and the
# register imported back into a repository with only the starting records.
#
#   benches/export.sh [WORK_DIR]
#
# Generates (once) the repository under WORK_DIR, then runs each command RUNS times (default
# 5) and reports the median wall time and the peak memory. ASSURE_BIN times that binary
# instead of building one (a cold release build takes minutes on 2 cores).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/assure-bench-check}
runs=${RUNS:-5}

assure=${ASSURE_BIN:-$root/target/release/assure}
[ -n "${ASSURE_BIN:-}" ] || cargo build --quiet --release --bin assure --manifest-path "$root/Cargo.toml"
if [ ! -d "$work/assurance" ]; then
  cargo build --quiet --release --example synth-repo --manifest-path "$root/Cargo.toml"
  "$root/target/release/examples/synth-repo" "$work" 10000 >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dir="$work/assurance"
day=2026-11-28

# An empty repository with the benchmark's project, people and appetite, to import into.
empty() {
  rm -rf "$out/empty"
  mkdir -p "$out/empty/assurance"
  cp "$dir/project.yaml" "$dir/people.yaml" "$dir/appetite.yaml" "$out/empty/assurance/"
}
"$assure" export --dir "$dir" --as-of "$day" --out "$out/risks.csv"

median() { # label, then the command
  local label=$1 samples=()
  shift
  for _ in $(seq "$runs"); do
    samples+=("$( { /usr/bin/time -f '%e %M' "$@" >/dev/null; } 2>&1 | tail -1)")
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk -v label="$label" '
    { t[NR] = $1; if ($2 > peak) peak = $2 }
    END { printf "%-44s %8.3f s %8.1f MB\n", label, t[int((NR + 1) / 2)], peak / 1024 }'
}

echo "$(find "$dir" -name '*.yaml' | wc -l) record files; runs per command: $runs (median)"
median "export (risk register, CSV)" "$assure" export --dir "$dir" --as-of "$day"
median "export --table actions (CSV)" "$assure" export --dir "$dir" --as-of "$day" --table actions
median "export --format ics" "$assure" export --dir "$dir" --as-of "$day" --format ics
median "export --format xlsx" "$assure" export --dir "$dir" --as-of "$day" --format xlsx --out "$out/register.xlsx"
empty
median "import --dry-run (10,000 rows of CSV)" "$assure" import --dir "$out/empty/assurance" "$out/risks.csv" --dry-run
# Written, into a fresh copy each time (the copy of three files is part of the figure).
# shellcheck disable=SC2016 # expanded by the inner bash
median "import (10,000 rows of CSV, written)" bash -c 'rm -rf "$1/empty" && mkdir -p "$1/empty/assurance" &&
  cp "$2/project.yaml" "$2/people.yaml" "$2/appetite.yaml" "$1/empty/assurance/" &&
  "$3" import --dir "$1/empty/assurance" "$1/risks.csv"' _ "$out" "$dir" "$assure"
