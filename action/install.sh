#!/usr/bin/env bash
# Installs assure for the composite action (action.yml).
#
#   install.sh plan      decide: download a release (ASSURE_VERSION set, or the action's own
#                        source is a release: its Cargo.toml version is listed, for this
#                        runner, in the action/checksums.txt committed with it, as the
#                        release workflow commits it in the commit it tags) or build from
#                        source; writes mode=, root= and key= to $GITHUB_OUTPUT
#   install.sh build     cargo install this action's own source into $ASSURE_ROOT
#   install.sh download  fetch release ASSURE_VERSION, verify its SHA-256 against
#                        action/checksums.txt, and install it into $ASSURE_ROOT
#
# Everything arrives through the environment; nothing from a workflow is pasted into a script.
set -euo pipefail

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fail() {
  echo "::error title=assure install::$*"
  echo "error: $*" >&2
  exit 1
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "$1" >>"$GITHUB_OUTPUT"
  else
    echo "$1"
  fi
}

# The release target for this runner, or nothing when no release is built for it.
target() {
  case "${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}" in
    Linux-X64 | Linux-x86_64) echo x86_64-unknown-linux-musl ;;
    Linux-ARM64 | Linux-aarch64) echo aarch64-unknown-linux-musl ;;
    macOS-X64 | Darwin-x86_64) echo x86_64-apple-darwin ;;
    macOS-ARM64 | Darwin-arm64) echo aarch64-apple-darwin ;;
    *) return 1 ;;
  esac
}

# The checksum action/checksums.txt lists for a file, or nothing.
listed() {
  awk -v asset="$1" '$1 !~ /^#/ && $2 == asset { print $1 }' "$source_dir/action/checksums.txt"
}

plan() {
  local version="${ASSURE_VERSION:-}"
  local root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/assure"
  # The action's source is a release when the checksums committed with it list its own
  # version's binary for this runner: the release workflow adds them in the commit it tags
  # (never on a branch), so `uses: OWNER/assure@v1.2.3`, `@v1` or that commit's SHA downloads
  # what that release built from this very source.
  local own triple
  own="$(sed -n 's/^version = "\([0-9][0-9A-Za-z.+-]*\)"$/\1/p' "$source_dir/Cargo.toml" 2>/dev/null | head -n 1)"
  if [ -z "$version" ] && [ -n "$own" ] && triple="$(target)" &&
    [ -n "$(listed "assure-$own-$triple.tar.gz")" ]; then
    version="$own"
  fi
  if [ -n "$version" ]; then
    if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
      fail "version must be a release number such as 0.1.0 (got \"$version\"), or empty to build from source"
    fi
    output "mode=download"
    output "root=$root-$version"
    output "version=$version"
  else
    # The cache key names exactly the source that is built.
    local listing digest
    listing="$(mktemp)"
    (cd "$source_dir" && find Cargo.toml Cargo.lock src schemas -type f | LC_ALL=C sort | while read -r f; do
      echo "$(sha256 "$f")  $f"
    done) >"$listing"
    digest="$(sha256 "$listing")"
    rm -f "$listing"
    output "mode=build"
    output "root=$root-source"
    output "key=assure-build-${RUNNER_OS:-local}-${RUNNER_ARCH:-local}-${digest:0:20}"
  fi
}

build() {
  : "${ASSURE_ROOT:?ASSURE_ROOT is not set}"
  command -v cargo >/dev/null 2>&1 ||
    fail "cargo was not found, so assure cannot be built from source. Install Rust first (for example with dtolnay/rust-toolchain), or set the action's version input to download a release."
  # No .git here: `assure --version` names the ref the action was used at instead.
  ASSURE_COMMIT="${ASSURE_COMMIT:-${ASSURE_ACTION_REF:-}}" \
    cargo install --locked --path "$source_dir" --root "$ASSURE_ROOT"
  "$ASSURE_ROOT/bin/assure" --version
}

download() {
  : "${ASSURE_ROOT:?ASSURE_ROOT is not set}"
  local version="${ASSURE_VERSION:?ASSURE_VERSION is not set}"
  local triple
  triple="$(target)" ||
    fail "there is no released assure binary for ${RUNNER_OS:-$(uname -s)} ${RUNNER_ARCH:-$(uname -m)}. Leave the version input empty to build from source."
  local asset="assure-$version-$triple.tar.gz"
  local expected
  expected="$(listed "$asset")"
  [ -n "$expected" ] ||
    fail "assure $version for $triple is not listed in action/checksums.txt of this version of the action. Use the action at the tag of that release (uses: OWNER/assure@v$version), or leave the version input empty to build from source."
  local base="${ASSURE_RELEASE_BASE:-}" proto='=https,file'
  if [ -z "$base" ]; then
    [ -n "${ASSURE_REPOSITORY:-}" ] ||
      fail "the action's repository is unknown (a local action?), so the release cannot be downloaded. Leave the version input empty to build from source."
    base="https://github.com/$ASSURE_REPOSITORY/releases/download"
  else
    # A base given to the script (the tests' local server); the checksum still decides.
    proto='=https,http,file'
  fi
  # Global, so the exit trap still sees it.
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  curl --fail --silent --show-error --location --retry 3 --max-time 120 \
    --proto "$proto" --proto-redir '=https' \
    --output "$work/$asset" "$base/v$version/$asset" ||
    fail "could not download $base/v$version/$asset. Nothing was installed."
  local actual
  actual="$(sha256 "$work/$asset")"
  [ "$actual" = "$expected" ] ||
    fail "the download of $asset does not match its checksum (expected $expected, got $actual). Nothing was installed."
  mkdir -p "$work/unpacked"
  tar -xzf "$work/$asset" -C "$work/unpacked" 2>/dev/null ||
    fail "$asset is not a complete archive. Nothing was installed."
  # The release packs the binary in a folder named as the archive; older ones at the top.
  local binary="$work/unpacked/assure-$version-$triple/assure"
  [ -f "$binary" ] || binary="$work/unpacked/assure"
  [ -f "$binary" ] || fail "$asset does not contain the assure binary. Nothing was installed."
  # Into place in one rename: a run stopped half-way leaves no half-written binary.
  mkdir -p "$ASSURE_ROOT/bin"
  install -m 0755 "$binary" "$ASSURE_ROOT/bin/.assure.partial"
  mv -f "$ASSURE_ROOT/bin/.assure.partial" "$ASSURE_ROOT/bin/assure"
  "$ASSURE_ROOT/bin/assure" --version
}

case "${1:-}" in
  plan) plan ;;
  build) build ;;
  download) download ;;
  *) fail "usage: install.sh plan|build|download" ;;
esac
