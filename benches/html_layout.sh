#!/usr/bin/env bash
# Size and browser layout time of the HTML guide for a full BS week: 12 services, 8 days, about
# 2,000 events (epgdump::testsupport::bs_week_stream, written by the make_week_stream example).
#
#   benches/html_layout.sh [RUNS]        (default 5; needs Debian's chromium)
#
# Prints the page size, then for each run the time from navigation start until the whole page
# has been parsed, styled and laid out, measured inside the page: a probe script at the end of
# the body forces layout (the last box's position) and records performance.now(). It runs in a
# fresh headless Chromium each time, so every run includes parsing the file from disk.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --release -q --example make_week_stream --bin epgdump-rs
target/release/examples/make_week_stream "$dir/week.ts" 2>/dev/null
target/release/epgdump-rs -q --format html "$dir/week.ts" "$dir/week.html"
echo "page: $(stat -c %s "$dir/week.html") bytes, $(grep -o 'class="programme ' "$dir/week.html" | wc -l) programme boxes"
probe='<script>(function(){var b=document.querySelectorAll(".programme");b[b.length-1].getBoundingClientRect();var r=document.documentElement;r.setAttribute("data-layout-ms",performance.now().toFixed(1));r.setAttribute("data-height",r.scrollHeight)})()</script>'
sed "s#</body>#${probe}</body>#" "$dir/week.html" >"$dir/probe.html"
for i in $(seq "$runs"); do
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --user-data-dir="$dir/profile" --window-size=1280,900 \
    --dump-dom "file://$dir/probe.html" 2>/dev/null |
    grep -o 'data-layout-ms="[^"]*" data-height="[^"]*"' |
    sed -E "s/data-layout-ms=\"([^\"]*)\" data-height=\"([^\"]*)\"/run $i: laid out after \1 ms (page height \2 px)/"
done
