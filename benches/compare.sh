#!/usr/bin/env bash
# Peer comparison for `assure check` (issue targets: 0.25 s on 2 cores, at least 10x faster
# than ajv-cli and 50x faster than check-jsonschema; `check --baseline` and `ci` on a pull
# request under twice `check`).
#
#   benches/compare.sh [WORK_DIR]
#
# Generates (once) a synthetic repository of 10,000 risks, 400 assessments and 1,000
# sign-offs in WORK_DIR, then times, on the same files against the same schemas:
#   - assure check (schema validation plus every cross-record check)
#   - check-jsonschema (pip install check-jsonschema), one run per record kind
#   - ajv-cli (npm i ajv-cli ajv-formats), one run per record kind, --all-errors
# A peer that is not installed is skipped. Each tool runs RUNS times (default 5); the median
# wall time is reported. Uses hyperfine when it is installed. ASSURE_BIN times that binary
# instead of building one (a cold release build takes minutes on 2 cores).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/assure-bench-check}
runs=${RUNS:-5}
export PATH="$root/node_modules/.bin:$PATH"

assure=${ASSURE_BIN:-$root/target/release/assure}
[ -n "${ASSURE_BIN:-}" ] || cargo build --quiet --release --bin assure --manifest-path "$root/Cargo.toml"
if [ ! -d "$work/assurance" ]; then
  cargo build --quiet --release --example synth-repo --manifest-path "$root/Cargo.toml"
  "$root/target/release/examples/synth-repo" "$work"
fi
records="$work/assurance"
schemas="$root/schemas"

# kind, then the files of that kind (as a glob relative to the records folder)
kinds=(project:project.yaml people:people.yaml appetite:appetite.yaml risk:'risks/*.yaml'
       assessment:'assessments/*.yaml' signoff:'signoffs/*.yaml' event:'events/*.yaml'
       board:'boards/*.yaml')

peer_check_jsonschema() {
  for entry in "${kinds[@]}"; do
    kind=${entry%%:*} glob=${entry#*:}
    # shellcheck disable=SC2086
    check-jsonschema --schemafile "$schemas/$kind.schema.json" $records/$glob >/dev/null 2>&1 || true
  done
}

peer_ajv() {
  for entry in "${kinds[@]}"; do
    kind=${entry%%:*} glob=${entry#*:}
    ajv validate --spec=draft2020 --all-errors -c ajv-formats -s "$schemas/$kind.schema.json" \
      -d "$records/$glob" >/dev/null 2>&1 || true
  done
}

run_assure() { "$assure" check --dir "$records" --as-of 2026-11-28 --fail-on never >/dev/null; }

# A pull request (issue target: under twice `check`): the base, the commit before the
# sign-offs, evaluated beside the working tree, as `check --baseline` and as `assure ci` on
# GitHub Actions (no comment posted).
base_sha=$(git -C "$work" rev-parse HEAD~1)
printf '{"pull_request": {"number": 1, "base": {"sha": "%s", "ref": "main"}, "head": {"sha": "%s", "ref": "change"}}}\n' \
  "$base_sha" "$(git -C "$work" rev-parse HEAD)" >"$work/event.json"
run_baseline() {
  "$assure" check --dir "$records" --as-of 2026-11-28 --fail-on never --baseline "$base_sha" >/dev/null
}
run_ci() {
  GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$work/event.json" \
    GITHUB_REPOSITORY=example/bench "$assure" ci --dir "$records" --as-of 2026-11-28 \
    --fail-on never --comment false >/dev/null
}

median_seconds() { # command (a shell function name)
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$1"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

echo "records: $(find "$records" -name '*.yaml' | wc -l) files in $records"
echo "cores: $(nproc); runs per tool: $runs (median)"
echo
run_assure || { echo "assure check failed on the synthetic repository" >&2; exit 1; }
assure_s=$(median_seconds run_assure)
printf '%-18s %8.3f s\n' "assure check" "$assure_s"
baseline_s=$(median_seconds run_baseline)
printf '%-18s %8.3f s  (%.2fx check)\n' "check --baseline" "$baseline_s" "$(echo "$baseline_s / $assure_s" | bc -l)"
ci_s=$(median_seconds run_ci)
printf '%-18s %8.3f s  (%.2fx check)\n' "ci (pull request)" "$ci_s" "$(echo "$ci_s / $assure_s" | bc -l)"

if command -v check-jsonschema >/dev/null; then
  cj_s=$(median_seconds peer_check_jsonschema)
  printf '%-18s %8.3f s  (assure is %.0fx faster)\n' "check-jsonschema" "$cj_s" "$(echo "$cj_s / $assure_s" | bc -l)"
else
  echo "check-jsonschema   skipped (pip install check-jsonschema)"
fi
if command -v ajv >/dev/null; then
  ajv_s=$(median_seconds peer_ajv)
  printf '%-18s %8.3f s  (assure is %.1fx faster)\n' "ajv-cli" "$ajv_s" "$(echo "$ajv_s / $assure_s" | bc -l)"
  echo "  note: ajv-cli reads YAML with js-yaml's YAML 1.1 schema, so unquoted dates become"
  echo "  timestamps and every record fails 'must be string'; it still parses and validates each file."
else
  echo "ajv-cli            skipped (npm i ajv-cli ajv-formats)"
fi
if command -v hyperfine >/dev/null; then
  echo
  hyperfine --warmup 1 --runs "$runs" "$assure check --dir $records --as-of 2026-11-28 --fail-on never"
fi
