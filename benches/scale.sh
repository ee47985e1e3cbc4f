#!/usr/bin/env bash
# How `assure check` grows with the number of records (issue target: linear; 100,000 risks in
# under 2.5 s and 400 MB on 2 cores).
#
#   benches/scale.sh [WORK_DIR]
#
# Generates (once) synthetic repositories of 1,000, 10,000, 50,000 and 100,000 risks (with
# assessments, sign-offs, events and board updates in the benchmark's proportions) under
# WORK_DIR, then runs `assure check` on each RUNS times (default 5) and reports the median wall
# time, the peak memory (maximum resident set) and the peak memory per record file (risks,
# assessments, sign-offs, events and board updates alike). ASSURE_BIN times
# that binary instead of building one (a cold release build takes minutes on 2 cores).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/assure-bench-scale}
runs=${RUNS:-5}
sizes=${SIZES:-"1000 10000 50000 100000"}

assure=${ASSURE_BIN:-$root/target/release/assure}
[ -n "${ASSURE_BIN:-}" ] || cargo build --quiet --release --bin assure --manifest-path "$root/Cargo.toml"
synth() { # folder, risks
  [ -x "$root/target/release/examples/synth-repo" ] ||
    cargo build --quiet --release --example synth-repo --manifest-path "$root/Cargo.toml"
  "$root/target/release/examples/synth-repo" "$@" >/dev/null
}
mkdir -p "$work"

printf '%8s %8s %10s %10s %12s\n' risks files "median s" "peak MB" "KB/file"
for risks in $sizes; do
  repo="$work/$risks"
  [ -d "$repo/assurance" ] || synth "$repo" "$risks"
  files=$(find "$repo/assurance" -name '*.yaml' | wc -l)
  samples=()
  for _ in $(seq "$runs"); do
    samples+=("$( { /usr/bin/time -f '%e %M' "$assure" check --dir "$repo/assurance" \
      --as-of 2026-11-28 --fail-on never >/dev/null; } 2>&1 | tail -1)")
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk -v risks="$risks" -v files="$files" '
    { t[NR] = $1; if ($2 > peak) peak = $2 }
    END { printf "%8d %8d %10.3f %10.1f %12.2f\n", risks, files, t[int((NR + 1) / 2)],
          peak / 1024, peak / files }'
done
