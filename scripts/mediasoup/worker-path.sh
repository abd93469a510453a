#!/usr/bin/env bash
# Prints where scripts/mediasoup/build-worker.sh puts the mediasoup worker
# binary, without building anything, so every caller computes it in one place.
#   bash scripts/mediasoup/worker-path.sh    prints the absolute path
#   source scripts/mediasoup/worker-path.sh  also sets MEDIASOUP_VERSION,
#                                           MEDIASOUP_WORKER_KEY, MEDIASOUP_WORKER_PATH
# Sourcing must not change the caller's shell options, so no `set -e` here.

# The one pinned version. Keep it equal to mediasoup's version in package.json:
# the worker and mediasoup's Node library must speak the same protocol.
MEDIASOUP_VERSION=3.19.3

# Cache key: <version>-<first 12 hex digits of the sha256 of all patch files
# concatenated in C-locale file-name order>, i.e. exactly
#   cat $(ls scripts/mediasoup/patches/*.patch | LC_ALL=C sort) | sha256sum | cut -c1-12
# run from the repository root. The TypeScript server recomputes this same
# value to find the binary, so change both or neither.
_ms_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_ms_hash="$(cd "$_ms_root" && cat $(ls scripts/mediasoup/patches/*.patch | LC_ALL=C sort) | sha256sum | cut -c1-12)"
MEDIASOUP_WORKER_KEY="$MEDIASOUP_VERSION-$_ms_hash"
MEDIASOUP_WORKER_PATH="$_ms_root/var/mediasoup/$MEDIASOUP_WORKER_KEY/mediasoup-worker"
unset _ms_root _ms_hash
echo "$MEDIASOUP_WORKER_PATH"
