#!/usr/bin/env bash
# Opens a report written by `gistnb reproduce` (or `gistnb run`) in headless Chromium with the network off and
# checks that every Plotly chart in it was drawn. Not part of CI; installs Debian's chromium when missing.
# Usage: tests/GistNotebooks.Notebooks.Tests/check-report.sh [artifacts/reproduction/report.html]
set -euo pipefail
REPORT=$(realpath "${1:-artifacts/reproduction/report.html}")
[ -f "$REPORT" ] || { echo "check-report: $REPORT not found; run gistnb reproduce first" >&2; exit 2; }
if ! command -v chromium >/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

DOM=$(mktemp)
trap 'rm -f "$DOM"' EXIT
# --virtual-time-budget lets every chart script run before the DOM is dumped; background networking is off, so a
# chart that needed the web would stay empty.
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --no-first-run --virtual-time-budget=20000 --dump-dom "file://$REPORT" 2>/dev/null > "$DOM"

charts=0; drawn=0
for id in $(grep -o '<div id="[0-9a-f-]\{36\}"><!-- Plotly chart will be drawn' "$REPORT" | cut -d'"' -f2); do
  charts=$((charts + 1))
  if grep -q "<div id=\"$id\"[^>]*class=\"[^\"]*js-plotly-plot" "$DOM"; then
    drawn=$((drawn + 1))
  else
    echo "check-report: chart $id was not drawn" >&2
  fi
done
external=$( (grep -Eo '<script[^>]+src="https?://[^"]+' "$REPORT" || true) | wc -l)
echo "$REPORT: $drawn of $charts charts drawn offline; $external scripts loaded from the web"
[ "$charts" -eq "$drawn" ] && [ "$external" -eq 0 ]
