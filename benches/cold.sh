#!/usr/bin/env bash
# Cold recordings: whole-file read vs `--until-complete` (head + tail, `job::head_tail`) on a
# freshly written stream that is NOT in the page cache, in one run. Prints, for each, the
# seconds, the bytes the reader was handed (--stats bytes), the bytes the kernel read from the
# disk for it (getrusage ru_inblock × 512, via /usr/bin/time %I), and the ratios; and checks
# that both give the same guide byte for byte (JSONL).
#
#   bash benches/cold.sh                   # SIZE_MIB=1024 CYCLE_MIB=30 RUNS=3 by default
#   SIZE_MIB=4096 RUNS=1 bash benches/cold.sh
#
# The stream (examples/make_cold_stream.rs): 8 services, a guide cycle every CYCLE_MIB MiB
# (30 MiB: what the 1 GiB BS bench stream needs for its first complete cycle), the schedule
# updated to version 2 three cycles before the end, video filler in between.
#
# Eviction is best effort: before every run the file is flushed (fdatasync) and its pages are
# dropped with posix_fadvise(POSIX_FADV_DONTNEED), which the kernel may ignore for pages that
# are mapped or busy; the "disk read" column says how much really came from the disk. On a VM
# the "disk" may itself be cached by the host, so seconds are lower than on a real HDD or NAS;
# the disk-read ratio is the figure that carries over.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${SIZE_MIB:-1024}
CYCLE_MIB=${CYCLE_MIB:-30}
RUNS=${RUNS:-3}
FILE=${FILE:-benches/data/cold-${SIZE_MIB}m.ts}
mkdir -p "$(dirname "$FILE")"
cargo build --release --quiet --example make_cold_stream --bin epgdump-rs
BIN=target/release/epgdump-rs
rm -f "$FILE"
target/release/examples/make_cold_stream "$FILE" "$SIZE_MIB" "$CYCLE_MIB"
BYTES=$(stat -c %s "$FILE")
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

evict() {
  python3 - "$1" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.fdatasync(fd)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
os.close(fd)
PY
}

# run KEY NAME ARGS...: the fastest of $RUNS cold runs; prints seconds, bytes handed to the
# reader and bytes read from the disk.
run() {
  local key=$1 name=$2; shift 2
  local best="" io="" fed=""
  for _ in $(seq "$RUNS"); do
    evict "$FILE"
    local t0 t1 el
    t0=$(date +%s%N)
    /usr/bin/time -f "%I" -o "$OUT/io" "$BIN" --format jsonl --stats=json -o "$OUT/$key.jsonl" "$@" "$FILE" 2> "$OUT/$key.err"
    t1=$(date +%s%N)
    el=$(( t1 - t0 ))
    if [ -z "$best" ] || [ "$el" -lt "$best" ]; then
      best=$el
      io=$(( $(tail -n 1 "$OUT/io") * 512 ))
      fed=$(grep -m1 '"bytes"' "$OUT/$key.err" | tr -dc 0-9)
    fi
  done
  awk -v n="$name" -v ns="$best" -v fed="$fed" -v io="$io" -v size="$BYTES" \
    'BEGIN { printf "%-30s %8.3f s  reader %13.0f bytes (%5.1f %%)  disk read %13.0f bytes (%5.1f %%)\n",
             n, ns/1e9, fed, 100*fed/size, io, 100*io/size }'
  echo "$best $io" > "$OUT/$key.t"
}

echo "file: $FILE ($BYTES bytes, cycles of $CYCLE_MIB MiB), cold page cache, best of $RUNS runs"
run whole "whole file"
run cold "--until-complete (head+tail)" --until-complete
grep -h "until-complete read" "$OUT/cold.err" | sed 's/^/  /' || true
if cmp -s "$OUT/whole.jsonl" "$OUT/cold.jsonl"; then
  echo "guide: identical ($(wc -l < "$OUT/whole.jsonl") JSONL lines)"
else
  echo "guide: DIFFERENT"; diff "$OUT/whole.jsonl" "$OUT/cold.jsonl" | head -20; exit 1
fi
read -r tw iw < "$OUT/whole.t"
read -r tc ic < "$OUT/cold.t"
awk -v tw="$tw" -v tc="$tc" -v iw="$iw" -v ic="$ic" \
  'BEGIN { printf "ratio --until-complete / whole: time %.3f, disk read %.3f\n", tc/tw, (iw > 0 ? ic/iw : 0) }'
