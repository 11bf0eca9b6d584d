#!/usr/bin/env bash
# Browser test of Vantage's web pages: builds the binary, ingests the Wikinews
# corpus (or the bundled demo sample) into a temporary database, starts
# `vantage serve` and drives the pages in Debian's headless Chromium with
# playwright-core (falling back to chromium --dump-dom; E2E_NO_PLAYWRIGHT=1
# forces the fallback). Screenshots go to e2e/out/. Exits non-zero on any
# failed check; the server is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="/usr/local/go/bin:$PATH"
out="$root/e2e/out"
mkdir -p "$out"
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
say() { printf 'e2e: %s\n' "$*"; }

# Chromium from Debian's packages.
if ! command -v chromium >/dev/null; then
  say "installing chromium"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >"$work/apt.log" 2>&1; then
    apt-get update -q >"$work/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >>"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; exit 1; }
  fi
fi
chromium --version

# The binary and a database with the corpus.
go build -o "$work/vantage" ./cmd/vantage
shared="${VANTAGE_SHARED:-$(cd "$root/.." && pwd)/shared}"
corpus="$shared/data/demo-corpus/wikinews.jsonl"
if [ ! -f "$corpus" ]; then
  say "no Wikinews corpus at $corpus; using the bundled demo sample"
  corpus="$root/internal/demo/sample.jsonl"
fi
export VANTAGE_DB="$work/e2e.db"
"$work/vantage" ingest --quiet "$corpus"

# The server, on a free port.
"$work/vantage" serve --addr 127.0.0.1:0 --log-level info >"$work/serve.log" 2>&1 &
server_pid=$!
addr=""
for _ in $(seq 1 120); do
  addr=$(grep 'msg=serving' "$work/serve.log" | grep -o 'addr=[0-9.:]*' | head -1 | cut -d= -f2 || true)
  [ -n "$addr" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; say "FAIL: the server died"; exit 1; }
  sleep 0.5
done
[ -n "$addr" ] || { cat "$work/serve.log"; say "FAIL: the server did not start"; exit 1; }
base="http://$addr"
say "server at $base"

# The web pages must be mounted on /. Until `vantage serve` mounts
# internal/web (web.Site.Register), say so loudly and stop here.
# (read the page whole first: grep -q closing the pipe early would fail curl
# under pipefail)
curl -fsS "$base/" >"$work/root.html" || true
if ! grep -q 'id="brief-form"' "$work/root.html"; then
  if ! grep -rqs 'web\.Site' "$root/internal/cli" "$root/internal/serve" "$root/cmd"; then
    say "SKIPPED: vantage serve does not mount internal/web yet (no web.Site in internal/cli, internal/serve or cmd)"
    exit 0
  fi
  say "FAIL: / does not show the briefing form"; exit 1
fi

# First paint budget, measured on the server side too: GET / with a place.
curl -fsS -o /dev/null "$base/?place=Istanbul&topics=politics" # warm up
for _ in 1 2 3; do
  curl -fsS -o /dev/null -w 'e2e: GET /?place=Istanbul&topics=politics: %{http_code} in %{time_total}s\n' "$base/?place=Istanbul&topics=politics"
done

if [ -z "${E2E_NO_PLAYWRIGHT:-}" ] && command -v npm >/dev/null && npm install --prefix "$root/e2e" --no-audit --no-fund --silent >"$work/npm.log" 2>&1; then
  BASE_URL="$base" OUT_DIR="$out" CHROMIUM="$(command -v chromium)" node "$root/e2e/drive.mjs"
else
  cat "$work/npm.log" 2>/dev/null || true
  say "playwright-core not used (E2E_NO_PLAYWRIGHT or npm failed); checking the pages with chromium --dump-dom"
  chrome() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
      --disable-component-update --disable-sync --user-data-dir="$(mktemp -d -p "$work")" "$@" 2>/dev/null
  }
  fail=0
  expect() { if grep -q -- "$2" "$1"; then say "ok   $3"; else say "FAIL $3"; fail=1; fi; }
  chrome --dump-dom "$base/" >"$work/home.html"
  expect "$work/home.html" 'id="brief-form"' "the root page shows the briefing form"
  chrome --dump-dom "$base/?place=Istanbul&topics=politics" >"$work/brief.html"
  expect "$work/brief.html" 'Briefing for Istanbul' "the briefing is for Istanbul"
  expect "$work/brief.html" 'class="lens-text"' "the briefing shows lenses"
  story=$(grep -o 'href="/stories/[^"]*"' "$work/brief.html" | head -1 | sed -e 's/^href="//' -e 's/"$//' -e 's/&amp;/\&/g' || true)
  [ -n "$story" ] || { say "FAIL no story link"; exit 1; }
  chrome --dump-dom "$base$story" >"$work/story.html"
  expect "$work/story.html" 'class="lens-text"' "the story page has the lens"
  expect "$work/story.html" 'role="img"' "the story page has the SVG map"
  expect "$work/story.html" 'vm-shade' "the map shades a focus country"
  chrome --dump-dom "$base/alerts" >"$work/alerts.html"
  expect "$work/alerts.html" 'id="alert-form"' "the alerts page has the add-rule form"
  chrome --window-size=1280,1600 --screenshot="$out/02-briefing.png" "$base/?place=Istanbul&topics=politics"
  chrome --window-size=1280,1600 --screenshot="$out/03-story.png" "$base$story"
  [ "$fail" = 0 ] || exit 1
fi
say "screenshots in $out"
