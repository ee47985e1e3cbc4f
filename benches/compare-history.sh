#!/usr/bin/env bash
# History benchmarks (issue targets: `assure board` over the whole history at or below the
# time of `git log --raw --no-renames -- assurance/` on the same repository; `assure status
# --at REV` on that history under 0.5 s).
#
#   benches/compare-history.sh [WORK_DIR]
#
# Builds (once) a repository of 20,000 commits over about three years, a third of them
# changing the records (2,000 risks and more), with `git fast-import`, then times each command
# RUNS times (default 5) and reports the median, the ratio of board to git log, and the peak
# memory of the pack. ASSURE_BIN times that binary instead of building one (a cold release
# build takes minutes).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/assure-bench-history}
runs=${RUNS:-5}

assure=${ASSURE_BIN:-$root/target/release/assure}
[ -n "${ASSURE_BIN:-}" ] || cargo build --quiet --release --bin assure --manifest-path "$root/Cargo.toml"
if [ ! -d "$work/.git" ]; then
  cargo build --quiet --release --example synth-history --manifest-path "$root/Cargo.toml"
  mkdir -p "$work"
  git -C "$work" init -q -b main
  "$root/target/release/examples/synth-history" | git -C "$work" fast-import --quiet
  git -C "$work" checkout -q main
fi
cd "$work"
last=$(git log -1 --format=%cs)
echo "repository: $(git rev-list --count HEAD) commits, $(git log --format=%h -- assurance/ | wc -l) of them changing assurance/, $(find assurance/risks -name "*.yaml" | wc -l) risks"

board=("$assure" board --since 2000-01-01 --as-of "$last" --format html)
gitlog=(git log --raw --no-renames -- assurance/)
# The records a year before the end, judged on the last day.
year_ago=$(git log -1 --format=%H --before="$(date -d "$last - 1 year" +%F 2>/dev/null || echo "$last")")
status_at=("$assure" status --at "$year_ago" --as-of "$last" --fail-on never)

median_seconds() {
  local samples=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    samples+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
}

git_s=$(median_seconds "${gitlog[@]}")
board_s=$(median_seconds "${board[@]}")
status_s=$(median_seconds "${status_at[@]}")
echo "runs per command: $runs (median)"
printf '%-52s %7.3f s\n' "git log --raw --no-renames -- assurance/" "$git_s"
printf '%-52s %7.3f s  (%.2fx git; target at most 1x)\n' "assure board (whole history, HTML)" "$board_s" "$(echo "$board_s / $git_s" | bc -l)"
printf '%-52s %7.3f s  (target under 0.5 s)\n' "assure status --at (a year before the end)" "$status_s"
if command -v /usr/bin/time >/dev/null; then
  /usr/bin/time -f "assure board peak memory: %M KB" "${board[@]}" >/dev/null
fi
if command -v hyperfine >/dev/null; then
  echo
  hyperfine -N --warmup 1 --runs "$runs" "${gitlog[*]}" "${board[*]}" "${status_at[*]}"
fi
