#!/usr/bin/env bash
# End-to-end throughput of the release binary on a page-cached synthetic stream (default 1 GiB,
# 3 % SI packets: the realistic sample's NIT/SDT/TOT/EIT cycled among video and audio), next to
# `cat FILE > /dev/null` measured in the same run. Prints GB/s (10^9 bytes/s), the ratio to cat
# and the peak resident memory.
#
#   bash benches/throughput.sh            # SIZE_MIB=1024 RUNS=5 by default
#   SIZE_MIB=4096 RUNS=1 bash benches/throughput.sh
#   WRITE_BLOCK=8192 bash benches/throughput.sh   # the file written in 8 KiB writes
#
# The page cache matters as much as the code. A file written in large writes (the default here,
# 8 MiB, like `dd bs=8M` or a buffered copy) stays in the page cache as large folios, which the
# kernel maps as 2 MiB pages: mapping 1 GiB costs almost nothing and the reader runs at memory
# speed. A file written in small writes, or read back from disk after its pages were evicted
# (on this VM a DAMON "pageout" scheme evicts idle page cache after a while), sits in 4 KiB
# folios, and the page-table work for them costs the kernel about 0.1 s per GiB for any mmap
# reader, before a byte is looked at. The file is therefore written afresh on each run
# (KEEP=1 reuses it), and the first line printed, "mmap + touch headers", is the floor: the
# reader's own mapping with nothing but a read of each packet's first byte.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-5}
FILE=${FILE:-benches/data/bench-${SIZE_MIB}m.ts}
mkdir -p "$(dirname "$FILE")"
cargo build --release --quiet --example make_bench_stream --example touch_headers --bin epgdump-rs
BIN=target/release/epgdump-rs
if [ "${KEEP:-0}" != 1 ] || [ ! -s "$FILE" ]; then
  rm -f "$FILE"
  target/release/examples/make_bench_stream "$FILE" "$SIZE_MIB" 0.03
fi
BYTES=$(stat -c %s "$FILE")
cat "$FILE" > /dev/null   # warm the page cache
cat "$FILE" > /dev/null
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# best_of KEY NAME CMD...: the fastest of $RUNS runs, in seconds, and the peak RSS of that run.
best_of() {
  local key=$1 name=$2; shift 2
  local best="" rss=""
  for _ in $(seq "$RUNS"); do
    local t0 t1 el m
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$OUT/rss" "$@" > /dev/null 2>/dev/null || true
    m=$(tail -n 1 "$OUT/rss")
    t1=$(date +%s%N)
    el=$(( t1 - t0 ))
    if [ -z "$best" ] || [ "$el" -lt "$best" ]; then best=$el; rss=$m; fi
  done
  awk -v n="$name" -v ns="$best" -v b="$BYTES" -v rss="$rss" \
    'BEGIN { printf "%-28s %8.3f s  %7.2f GB/s  peak RSS %6.1f MiB\n", n, ns/1e9, b/ns, rss/1024 }'
  echo "$best" > "$OUT/$key"
}

echo "file: $FILE ($BYTES bytes), best of $RUNS runs, $(nproc) cores"
best_of touch "mmap + touch headers (floor)" target/release/examples/touch_headers "$FILE"
best_of cat "cat FILE > /dev/null" cat "$FILE"
best_of stats "epgdump-rs --stats=json" "$BIN" --stats=json "$FILE"
best_of xml "epgdump-rs in.ts out.xml" "$BIN" -q "$FILE" "$OUT/out.xml"
cat_ns=$(cat "$OUT/cat")
for k in stats xml; do
  awk -v n="epgdump-rs ($k)" -v a="$cat_ns" -v b="$(cat "$OUT/$k")" 'BEGIN { printf "%-28s %5.1f %% of cat\n", n, 100*a/b }'
done
