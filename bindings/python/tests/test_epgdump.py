"""Tests of the Python package: the bundled sample against the CLI's golden outputs, pushed
input in random chunks, file-like and buffer sources, non-TS input, bad options, and the
README's example."""

import io
import json
import os
import pathlib
import random
import re
import subprocess
import sys

import pytest

import epgdump

ROOT = pathlib.Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "testdata" / "sample-bs.ts"
GOLDEN = ROOT / "testdata" / "golden"
SAMPLE_EVENTS = 56

# The JSON Lines keys, in order (README "Output examples"; src/output/jsonl.rs).
JSONL_KEYS = [
    "onid", "tsid", "sid", "event_id", "channel", "service_name", "start", "end",
    "duration", "title", "text", "extended", "extended_text", "genres", "video", "audio",
    "series", "event_group", "data_content", "captions", "parental_rating", "free_ca_mode",
    "running_status", "sources", "version_updated",
]


@pytest.fixture(scope="module")
def sample_bytes():
    return SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def guide():
    return epgdump.read(str(SAMPLE))


def golden(name):
    return (GOLDEN / name).read_text(encoding="utf-8")


def test_the_sample_has_its_events_with_exactly_the_jsonl_keys(guide):
    assert len(guide.events) == SAMPLE_EVENTS
    for event in guide.events:
        assert list(event.keys()) == JSONL_KEYS
    cli = [json.loads(line) for line in golden("cli-sample-bs.jsonl").splitlines()]
    assert guide.events == cli
    assert guide.complete
    assert guide.exit_status == 0
    assert guide.warnings == []


def test_writers_equal_the_clis_outputs(guide):
    assert guide.to_jsonl() == golden("cli-sample-bs.jsonl")
    assert guide.to_xmltv() == golden("cli-sample-bs.xml")
    assert guide.to_json() == golden("cli-sample-bs.json")


def test_services_and_stats(guide):
    sids = [s["sid"] for s in guide.services]
    assert sids == sorted(sids) and 101 in sids
    for s in guide.services:
        assert set(s) == {"onid", "tsid", "sid", "channel", "name", "provider", "type", "events"}
    nhk = next(s for s in guide.services if s["sid"] == 101)
    assert nhk["name"] == "ＮＨＫ　ＢＳ" and nhk["type"] == 1 and nhk["channel"] == "BS_101"
    assert sum(s["events"] for s in guide.services) == SAMPLE_EVENTS
    stats = guide.stats
    for key in ["bytes", "packets", "sections", "si", "output", "sync_losses", "cc_errors"]:
        assert key in stats
    assert stats["bytes"] == SAMPLE.stat().st_size
    assert stats["si"]["events"] == SAMPLE_EVENTS
    assert stats["output"]["programmes"] == SAMPLE_EVENTS


def test_a_pathlike_reads_as_the_str(guide):
    assert epgdump.read(SAMPLE).to_jsonl() == guide.to_jsonl()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_pushed_stream_in_random_chunks_equals_a_read(guide, sample_bytes, seed):
    rng = random.Random(seed)
    reader = epgdump.Reader()
    at = 0
    while at < len(sample_bytes):
        n = rng.choice([1, 3, 187, 188, 189, 1000, 65536])
        assert reader.push(sample_bytes[at:at + n]) is True
        at += n
    assert reader.is_complete()
    pushed = reader.finish()
    assert pushed.events == guide.events
    assert pushed.to_xmltv() == guide.to_xmltv()
    assert pushed.stats == guide.stats


def test_push_takes_bytearray_and_memoryview(guide, sample_bytes):
    reader = epgdump.Reader()
    half = len(sample_bytes) // 2
    reader.push(bytearray(sample_bytes[:half]))
    reader.push(memoryview(sample_bytes)[half:])
    assert reader.finish().to_jsonl() == guide.to_jsonl()


def test_a_finished_reader_refuses_more(sample_bytes):
    reader = epgdump.Reader()
    reader.push(sample_bytes)
    reader.finish()
    with pytest.raises(ValueError, match="finished"):
        reader.push(b"x")
    with pytest.raises(ValueError, match="finished"):
        reader.finish()


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview"])
def test_buffers_read_as_the_file(guide, sample_bytes, kind):
    source = {"bytes": sample_bytes, "bytearray": bytearray(sample_bytes),
              "memoryview": memoryview(sample_bytes)}[kind]
    assert epgdump.read(source).to_jsonl() == guide.to_jsonl()


def test_an_mmap_and_an_array_read_as_the_file(guide):
    import array
    import mmap

    with open(SAMPLE, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        assert epgdump.read(m).to_jsonl() == guide.to_jsonl()
    words = array.array("H")
    words.frombytes(SAMPLE.read_bytes())
    assert epgdump.read(words).to_jsonl() == guide.to_jsonl()


def test_file_like_objects_read_as_the_file(guide, sample_bytes):
    with open(SAMPLE, "rb") as f:
        assert epgdump.read(f).to_jsonl() == guide.to_jsonl()
    assert epgdump.read(io.BytesIO(sample_bytes)).events == guide.events


def test_a_stream_that_does_not_start_on_a_sync_byte(guide, sample_bytes):
    # What ariblib-based readers stumble on: garbage before the first packet.
    shifted = epgdump.read(b"\x00\x47\x12" * 100 + sample_bytes)
    assert shifted.events == guide.events


def test_a_non_blocking_source_is_refused_not_spun_on():
    class NoDataYet:
        def read(self, n):
            return None

    with pytest.raises(BlockingIOError, match="Reader"):
        epgdump.read(NoDataYet())


def test_a_text_mode_file_is_a_type_error():
    with open(SAMPLE, encoding="latin-1") as f:
        with pytest.raises(TypeError, match="binary mode"):
            epgdump.read(f)


def test_until_complete_stops_a_complete_stream(sample_bytes):
    # Completeness is checked after each MiB, as the CLI checks it.
    looped = sample_bytes * 12
    g = epgdump.read(looped, until_complete=True)
    assert g.complete and g.exit_status == 0
    assert len(sample_bytes) < g.stats["bytes"] <= 1 << 20 < len(looped)
    reader = epgdump.Reader(until_complete=True)
    assert reader.push(sample_bytes) is True
    assert reader.is_complete()
    assert reader.push(sample_bytes) is False  # complete: ignored
    assert reader.finish().stats["bytes"] == len(sample_bytes)


def test_until_complete_on_an_incomplete_input_warns(sample_bytes):
    g = epgdump.read(sample_bytes[: len(sample_bytes) // 3], until_complete=True)
    assert not g.complete
    assert g.exit_status == 6
    assert any(w.startswith("incomplete guide") for w in g.warnings)


def test_options_select_and_render(sample_bytes):
    g = epgdump.read(sample_bytes, services=[101])
    assert {s["sid"] for s in g.services} == {101}
    assert {e["sid"] for e in g.events} == {101}
    for any_iterable in [{101}, (sid for sid in [101]), (101,)]:
        assert epgdump.read(sample_bytes, services=any_iterable).events == g.events
    assert epgdump.read(sample_bytes, services=None).to_jsonl() == epgdump.read(sample_bytes).to_jsonl()
    half = epgdump.read(sample_bytes, width="full", symbols="bracket")
    assert len(half.events) == SAMPLE_EVENTS


def test_non_ts_input_raises_not_transport_stream(tmp_path):
    with pytest.raises(epgdump.NotTransportStream, match="not an MPEG transport stream"):
        epgdump.read(b"GIF89a" + bytes(range(256)) * 40)
    assert issubclass(epgdump.NotTransportStream, ValueError)
    text = tmp_path / "notes.txt"
    text.write_text("hello\n" * 1000)
    with pytest.raises(epgdump.NotTransportStream, match=re.escape(str(text))):
        epgdump.read(str(text))
    empty = tmp_path / "empty.ts"
    empty.write_bytes(b"")
    with pytest.raises(epgdump.NotTransportStream):
        epgdump.read(empty)
    with pytest.raises(epgdump.NotTransportStream):
        epgdump.Reader().finish()


def test_a_missing_file_is_file_not_found_with_the_clis_message(tmp_path):
    missing = tmp_path / "missing.ts"
    with pytest.raises(FileNotFoundError) as info:
        epgdump.read(str(missing))
    assert info.value.errno == 2
    assert f"cannot read {missing}: " in str(info.value)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"symbols": "emoji"}, ValueError),
        ({"width": "narrow"}, ValueError),
        ({"services": "101"}, TypeError),
        ({"services": [70000]}, OverflowError),
        ({"services": [-1]}, OverflowError),
        ({"services": ["a"]}, TypeError),
        ({"until_complete": "yes"}, TypeError),
        ({"no_such_option": 1}, TypeError),
    ],
)
def test_bad_options_are_refused_before_reading(kwargs, error):
    with pytest.raises(error):
        epgdump.read(str(SAMPLE), **kwargs)
    with pytest.raises(error):
        epgdump.Reader(**kwargs)


def test_a_bad_source_is_a_type_error():
    with pytest.raises(TypeError, match="path, bytes"):
        epgdump.read(12)
    with pytest.raises(TypeError):
        epgdump.Reader().push("text")


def test_the_readme_example_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use from Python", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(example.strip().splitlines()) <= 5
    out = subprocess.run([sys.executable, "-c", example], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines()[0] == str(SAMPLE_EVENTS)
