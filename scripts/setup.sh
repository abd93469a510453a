#!/usr/bin/env bash
# Installs what OnAir needs on Debian 12 with Node 22 or 24 (20 still works but is end-of-life), and starts Redis for tests.
# Idempotent: it does nothing when everything is present.
#   scripts/setup.sh start   runtime packages + npm deps
#   scripts/setup.sh test    also Chromium, promtool, coturn and caddy, and a Redis on 127.0.0.1:6379
#   scripts/setup.sh bench   also Janus (the comparison SFU for bench:fanout)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-start}"

missing=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

have_cmd ffmpeg || missing+=(ffmpeg)
have_lib libespeak-ng.so.1 || missing+=(libespeak-ng1)
have_cmd espeak-ng || missing+=(espeak-ng)
have_cmd redis-server || missing+=(redis-server)
if [[ "$mode" == test || "$mode" == bench ]]; then
  have_cmd chromium || missing+=(chromium)
  have_cmd promtool || missing+=(prometheus)
  fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
  have_cmd docker-compose || missing+=(docker-compose)
  # The TURN test's relay, and the production profile's Caddyfile check (test/unit/docker.test.ts).
  have_cmd turnserver || missing+=(coturn)
  have_cmd caddy || missing+=(caddy)
  # Debian's python3-aiortc is installed for the system Python; a python3 earlier on
  # PATH (pyenv) would not see it, so ask /usr/bin/python3.
  /usr/bin/python3 -c 'import aiortc' >/dev/null 2>&1 || missing+=(python3-aiortc)
fi
if [[ "$mode" == bench ]]; then
  have_cmd janus || missing+=(janus)
fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [[ "$(id -u)" != 0 ]]; then
    echo "setup: not root; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Tests start their own turnserver and only parse the Caddyfile: no system services on 80 and 3478.
  for service in coturn caddy; do
    if [[ " ${missing[*]} " == *" $service "* ]] && have_cmd systemctl; then systemctl disable --now "$service" >/dev/null 2>&1 || true; fi
  done
fi

# mediasoup's postinstall would download a prebuilt worker from GitHub, then try a
# meson build that downloads its dependencies; neither is reachable. Naming our own
# worker binary (built below) makes it skip both, whatever the npm version.
MEDIASOUP_WORKER_BIN="$(bash scripts/mediasoup/worker-path.sh)"
export MEDIASOUP_WORKER_BIN

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm dependencies"
  # npm ci installs exactly the committed lock and never rewrites it (a tracked file).
  npm ci --no-audit --no-fund
fi

# The mediasoup worker is compiled once per version and patch set (minutes on 2 cores).
# Without it the server runs on werift, so a failed build is reported, not fatal.
if [[ "${SFU_BACKEND:-}" != werift && ! -x "$MEDIASOUP_WORKER_BIN" ]]; then
  build_log=var/mediasoup/build.log
  mkdir -p var/mediasoup
  echo "setup: building the mediasoup worker, once (a few minutes; log: $build_log)"
  if bash scripts/mediasoup/build-worker.sh >"$build_log" 2>&1; then
    echo "setup: mediasoup worker built: $MEDIASOUP_WORKER_BIN"
  else
    echo "setup: mediasoup worker build failed; OnAir will run on werift (see $build_log)" >&2
  fi
fi

if [[ "$mode" == test ]] && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "setup: starting redis-server on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
fi
