#!/usr/bin/env bash
# What the browser tests need beyond Python packages: Debian's chromium and axe-core (npm).
# Best effort: where something cannot be installed, the tests that need it skip and say why.
set -u
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test set-up: installing Debian's chromium for the browser tests (once per machine)"
    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/tmp/lapor-chromium-install.log 2>&1; then
      echo "test set-up: could not install chromium (see /tmp/lapor-chromium-install.log); browser tests will skip"
    fi
  else
    echo "test set-up: chromium is missing and cannot be installed here (needs root and apt-get); browser tests will skip"
  fi
fi

if [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "test set-up: installing axe-core from npm (tests/e2e/package-lock.json)"
    npm ci --prefix tests/e2e --no-audit --no-fund >/tmp/lapor-axe-install.log 2>&1 \
      || echo "test set-up: could not install axe-core (see /tmp/lapor-axe-install.log); accessibility checks will skip"
  else
    echo "test set-up: npm is missing; accessibility checks will skip"
  fi
fi
exit 0
