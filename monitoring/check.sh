#!/usr/bin/env bash
# Offline checks for monitoring/: dashboard PromQL + alert rules. Exits non-zero on any failure.
#   Needs: node >= 20, promtool (Debian: apt-get install --no-install-recommends prometheus).
#   Usage: monitoring/check.sh      (runs `npm ci --prefix monitoring` first if node_modules is missing)
set -uo pipefail
cd "$(dirname "$0")"
command -v promtool >/dev/null || { echo "promtool not found (apt-get install --no-install-recommends prometheus)" >&2; exit 2; }
command -v node >/dev/null || { echo "node not found" >&2; exit 2; }
if [ ! -d node_modules/@prometheus-io/lezer-promql ]; then
  npm ci --prefix . --no-audit --no-fund || exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
step() {
  echo "== $*"
  if "$@"; then echo "   ok"; else echo "   FAILED: $*" >&2; fail=1; fi
}
step node check-dashboard.mjs grafana/zeroshot-serve.json --rules-out "$tmp/dashboard-rules.yml" --test-out "$tmp/dashboard-data.test.yml"
if [ -s "$tmp/dashboard-rules.yml" ]; then
  step promtool check rules "$tmp/dashboard-rules.yml"
  step promtool test rules "$tmp/dashboard-data.test.yml"
fi
step promtool check rules prometheus/zeroshot-alerts.yml
step promtool test rules prometheus/zeroshot-alerts.test.yml
if [ "$fail" -ne 0 ]; then echo "monitoring checks FAILED" >&2; else echo "all monitoring checks passed"; fi
exit "$fail"
