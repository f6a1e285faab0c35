"""Python speed next to the CLI's, same run, on one stream (not a test: run by hand).

    cargo build --release --bin epgdump-rs --example make_fat_stream
    target/release/examples/make_fat_stream /tmp/fat.ts 30000
    python bindings/python/bench/speed.py /tmp/fat.ts target/release/epgdump-rs

Each form runs twice, best kept; the CLI runs first and last (the spread shows the noise).
The CLI writes --format jsonl into a pipe. The Python forms: read only, read and to_jsonl(),
read and the event dicts (.events), and read from a file object.
"""
import subprocess, sys, time
import epgdump
path = sys.argv[1]
cli = sys.argv[2]
def t(f):
    best = None
    for _ in range(2):
        a = time.perf_counter(); f(); d = time.perf_counter() - a
        best = d if best is None else min(best, d)
    return best
def run_cli():
    subprocess.run([cli, "--quiet", "--format", "jsonl", path, "-"], stdout=subprocess.PIPE, check=False)
def py_read():
    epgdump.read(path)
def py_events():
    g = epgdump.read(path); g.events
def py_jsonl():
    epgdump.read(path).to_jsonl()
def py_filelike():
    with open(path, "rb") as f:
        epgdump.read(f)
g = epgdump.read(path)
print("events", len(g.events), "bytes", g.stats["bytes"])
res = {}
for name, f in [("cli jsonl", run_cli), ("py read(path)", py_read), ("py read+to_jsonl", py_jsonl), ("py read+.events", py_events), ("py read(file obj)", py_filelike), ("cli jsonl again", run_cli)]:
    res[name] = t(f)
    mb = g.stats["bytes"] / 1e6
    print(f"{name:22s} {res[name]:.3f} s  {mb/res[name]:.0f} MB/s")
base = min(res["cli jsonl"], res["cli jsonl again"])
for k, v in res.items():
    print(f"{k:22s} ratio to CLI {v/base:.2f}")
