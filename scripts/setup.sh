#!/usr/bin/env bash
# Idempotent machine + project setup. Fast when everything is already present.
# Installs (only what is missing): system packages via apt, bun via npm, the
# Python venv from requirements.lock with the project in editable mode.
# Never runs `playwright install`.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
BUN_VERSION=1.4.5
BUN_MIN=1.4.4
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

log() { echo "setup: $*" >&2; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    $SUDO apt-get update -q
    apt_updated=1
  fi
  $SUDO apt-get install -y -q "$@"
}

# 1. System packages.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v wrk >/dev/null || missing+=(wrk)  # the load generator of make bench
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt_install "${missing[@]}"
fi

# 2. bun (Reflex cannot download it here; the npm package ships the binary).
bun_ok() {
  command -v bun >/dev/null || return 1
  local v
  v=$(bun --version 2>/dev/null) || return 1
  [ "$(printf '%s\n%s\n' "$BUN_MIN" "$v" | sort -V | head -n1)" = "$BUN_MIN" ]
}
if ! bun_ok; then
  log "installing bun@$BUN_VERSION"
  $SUDO npm install -g "bun@$BUN_VERSION"
  hash -r
  bun_ok || { log "bun >= $BUN_MIN still not on PATH"; exit 1; }
fi

# 3. Python venv: the locked dependencies (hash-checked), then the project itself;
# re-installed only when requirements.lock or pyproject.toml changed.
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$PYTHON" -m venv .venv
  fi
  .venv/bin/python -m pip install -q --upgrade pip
fi
stamp=.venv/.pyproject.sha256
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing Python dependencies from requirements.lock"
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi
mkdir -p data
