#!/usr/bin/env bash
# Tests of the C ABI (run by .ci/run after the root `cargo test`):
# 1. the release build (cdylib + staticlib) leaves the committed include/epgdump.h unchanged;
# 2. examples/dump.c builds with plain cc, against the shared and the static library;
# 3. its JSON Lines equal the CLI's `--format jsonl` on testdata/sample-bs.ts (pushed, by path
#    and from stdin), and its errors are the CLI's messages and statuses;
# 4. under valgrind, a read and two error paths leak nothing and make no memory error;
# 5. the README's "Use from C" example builds and prints the CLI's JSON Lines.
# Ends with a line "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/bindings/target}"
lib="$target/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
bad() { echo "FAILED: $1"; failed=$((failed + 1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

sample="$root/testdata/sample-bs.ts"
(cd "$root/bindings" && cargo build --release -q -p epgdump-c) || { echo "0 passed, 1 failed"; exit 1; }

if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  check "include/epgdump.h is what cbindgen generates" \
    git -C "$root" diff --quiet --exit-code -- bindings/c/include/epgdump.h
fi

cli="${EPGDUMP_CLI:-$root/target/debug/epgdump-rs}"
if [ ! -x "$cli" ]; then
  (cd "$root" && cargo build -q --bin epgdump-rs) && cli="$root/target/debug/epgdump-rs"
fi
"$cli" --quiet --format jsonl "$sample" - >"$work/cli.jsonl"

check "dump.c builds with cc against the shared library" \
  cc -Wall -Wextra -Werror -o "$work/dump" "$here/examples/dump.c" -I"$here/include" \
    -L"$lib" -lepgdump_c -Wl,-rpath,"$lib"
check "dump.c builds with cc against the static library" \
  cc -Wall -Wextra -Werror -o "$work/dump-static" "$here/examples/dump.c" -I"$here/include" \
    "$lib/libepgdump_c.a" -lpthread -ldl -lm

"$work/dump" "$sample" >"$work/pushed.jsonl"
check "pushed: exit 0" [ $? -eq 0 ]
check "pushed: the CLI's JSON Lines" cmp -s "$work/pushed.jsonl" "$work/cli.jsonl"
"$work/dump-static" --path "$sample" >"$work/path.jsonl"
check "by path (static): the CLI's JSON Lines" cmp -s "$work/path.jsonl" "$work/cli.jsonl"
"$work/dump" - <"$sample" >"$work/stdin.jsonl"
check "stdin: the CLI's JSON Lines" cmp -s "$work/stdin.jsonl" "$work/cli.jsonl"
check "the sample has events" [ "$(wc -l <"$work/cli.jsonl")" -gt 0 ]

head -c 100000 /dev/urandom >"$work/noise.bin"
"$work/dump" --path "$work/noise.bin" 2>"$work/err" >/dev/null
check "not a TS: exit 1" [ $? -eq 1 ]
"$cli" --quiet "$work/noise.bin" - 2>"$work/cli-err" >/dev/null
check "not a TS: the CLI's message" \
  grep -qF "$(sed 's/^epgdump-rs: //' "$work/cli-err")" "$work/err"
"$work/dump" --path "$work/missing.ts" 2>"$work/err" >/dev/null
check "missing file: exit 1 and the CLI's message" \
  grep -qF "cannot read $work/missing.ts: No such file or directory" "$work/err"

if command -v valgrind >/dev/null 2>&1; then
  vg() {
    valgrind -q --suppressions="$here/valgrind.supp" --leak-check=full --show-leak-kinds=definite,indirect,possible \
      --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 "$@"
  }
  vg "$work/dump-static" "$sample" >"$work/vg.jsonl" 2>"$work/vg.log"
  check "valgrind: a pushed read leaks nothing" [ $? -eq 0 ]
  check "valgrind: and gives the CLI's JSON Lines" cmp -s "$work/vg.jsonl" "$work/cli.jsonl"
  vg "$work/dump-static" --path "$sample" >/dev/null 2>>"$work/vg.log"
  check "valgrind: a read by path leaks nothing" [ $? -eq 0 ]
  vg "$work/dump-static" "$work/noise.bin" >/dev/null 2>>"$work/vg.log"
  check "valgrind: the not-a-TS error path leaks nothing (exit 1)" [ $? -eq 1 ]
  vg "$work/dump-static" --path "$work/missing.ts" >/dev/null 2>>"$work/vg.log"
  check "valgrind: the missing-file error path leaks nothing (exit 1)" [ $? -eq 1 ]
  # Many calls: what is suppressed above (a thread that was still ending) must not grow with
  # them, and nothing else may be lost.
  cc -Wall -Wextra -Werror -o "$work/repeat" "$here/tests/repeat.c" -I"$here/include" \
    "$lib/libepgdump_c.a" -lpthread -ldl -lm
  valgrind --suppressions="$here/valgrind.supp" --leak-check=full \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
    "$work/repeat" "$sample" "$work/missing.ts" >"$work/repeat.out" 2>"$work/repeat.log"
  check "valgrind: 100 error paths and 10 reads leak nothing" [ $? -eq 0 ]
  blocks="$(sed -n 's/.*suppressed: [0-9,]* bytes in \([0-9,]*\) blocks.*/\1/p' "$work/repeat.log" | tr -d ,)"
  check "valgrind: at most one ending thread's memory at exit (${blocks:-0} blocks)" \
    [ "${blocks:-0}" -le 3 ]
  if grep -q "==[0-9]*==" "$work/vg.log"; then cat "$work/vg.log"; fi
elif [ "${CI:-}" = true ]; then
  bad "valgrind is not installed"
else
  echo "skipped: valgrind not installed (the leak checks)"
fi

# The README's "Use from C" example, run from the repository root.
awk '/^## Use from C/{s=1} s&&/^```c$/{c=1;next} c&&/^```$/{exit} c' "$root/README.md" \
  >"$work/readme.c"
if [ -s "$work/readme.c" ] && cc -Wall -Werror -o "$work/readme" "$work/readme.c" \
  -I"$here/include" -L"$lib" -lepgdump_c -Wl,-rpath,"$lib"; then
  (cd "$root" && "$work/readme") >"$work/readme.jsonl"
  check "README example prints the CLI's JSON Lines" cmp -s "$work/readme.jsonl" "$work/cli.jsonl"
else
  bad "README example builds"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
