#!/usr/bin/env bash
# Builds mediasoup's C++ worker from the npm tarball against Debian 12's system
# libraries, with our patches (scripts/mediasoup/patches, see their headers).
# mediasoup's own postinstall would download a prebuilt binary from GitHub or
# build with meson wraps that download nine subprojects; neither works offline.
#
# The binary is cached at var/mediasoup/<version>-<patch hash>/mediasoup-worker
# (see worker-path.sh), so only the first run pays the 3-5 minutes on 2 cores.
# Prints that path on its last line. Writes nothing outside var/ and a temp dir.
set -euo pipefail
cd "$(dirname "$0")/../.."

# MEDIASOUP_VERSION (pinned there) and MEDIASOUP_WORKER_PATH.
source scripts/mediasoup/worker-path.sh >/dev/null
bin="$MEDIASOUP_WORKER_PATH"

log() { echo "mediasoup-worker: $*"; }
fail() { echo "mediasoup-worker: error: $*" >&2; exit 1; }
# Steps without their own `|| fail` still end with one readable line.
trap 'echo "mediasoup-worker: error: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

log "building mediasoup $MEDIASOUP_VERSION worker into $bin"
installed=$(node -p "try { require('./node_modules/mediasoup/package.json').version } catch { '' }" 2>/dev/null || true)
if [[ -n "$installed" && "$installed" != "$MEDIASOUP_VERSION" ]]; then
  log "warning: node_modules has mediasoup $installed but this builds $MEDIASOUP_VERSION"
fi

# Build tools and the -dev packages of the libraries the patched meson.build uses.
packages=(meson ninja-build g++ pkg-config patch libssl-dev libuv1-dev libsrtp2-dev
  libusrsctp-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ "$(id -u)" != 0 ]]; then
    fail "missing build packages; install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker.XXXXXX")"
trap 'rm -rf "$tmp" "$bin.tmp.$$"' EXIT

log "fetching mediasoup@$MEDIASOUP_VERSION with npm pack"
# A private npm cache in the temp dir keeps the build from writing to ~/.npm.
npm pack "mediasoup@$MEDIASOUP_VERSION" --pack-destination "$tmp" --cache "$tmp/npm-cache" \
  --silent >/dev/null || fail "npm pack mediasoup@$MEDIASOUP_VERSION failed"
tar -xzf "$tmp/mediasoup-$MEDIASOUP_VERSION.tgz" -C "$tmp" || fail "cannot unpack the mediasoup tarball"
src="$tmp/package"

for p in $(ls scripts/mediasoup/patches/*.patch | LC_ALL=C sort); do
  log "applying $(basename "$p")"
  patch -p1 --forward --batch --quiet -d "$src" <"$p" || fail "patch $(basename "$p") does not apply"
done

log "configuring (meson)"
# Release like upstream's own build (-Db_ndebug=true); Debian 12's liburing is
# too old for mediasoup, so use plain libuv I/O.
meson setup "$tmp/build" "$src/worker" --buildtype release -Db_ndebug=true \
  -Dms_disable_liburing=true || fail "meson setup failed"

# The worker's sources include the headers flatc generates, and the generator
# target is not an order dependency of every object, so generate them first.
log "generating flatbuffers headers"
nice -n 10 ninja -C "$tmp/build" -j2 fbs/FBS || fail "flatbuffers schema generation failed"
log "compiling (ninja -j2, this takes a few minutes)"
nice -n 10 ninja -C "$tmp/build" -j2 mediasoup-worker || fail "compiling mediasoup-worker failed"

# Install atomically: a concurrent reader sees either no binary or a whole one.
mkdir -p "$(dirname "$bin")"
cp "$tmp/build/mediasoup-worker" "$bin.tmp.$$"
chmod 755 "$bin.tmp.$$"
mv -f "$bin.tmp.$$" "$bin"

log "built in ${SECONDS}s ($(du -h "$bin" | cut -f1))"
echo "$bin"
