#!/usr/bin/env python3
"""Pixel statistics of a PNG screenshot, stdlib only (used by tests/html.rs).

usage: png_stats.py FILE [RRGGBB ...]

Prints one line: `width height distinct_colours non_white_fraction` followed by the number of
pixels of each colour given. Handles 8-bit greyscale, RGB, RGBA and grey+alpha, non-interlaced
(what Chromium writes); exits 2 on anything else.
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        print(f"unsupported PNG: depth {depth} colour type {colour} interlace {interlace}")
        sys.exit(2)
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def main():
    width, height, channels, rows = read_png(sys.argv[1])
    wanted = [bytes.fromhex(c) for c in sys.argv[2:]]
    counts = {}
    for row in rows:
        for x in range(0, len(row), channels):
            px = row[x:x + channels]
            rgb = bytes(px[:3]) if channels >= 3 else bytes([px[0]] * 3)
            counts[rgb] = counts.get(rgb, 0) + 1
    total = width * height
    non_white = total - counts.get(b"\xff\xff\xff", 0)
    fields = [str(width), str(height), str(len(counts)), f"{non_white / total:.3f}"]
    fields += [str(counts.get(c, 0)) for c in wanted]
    print(" ".join(fields))


if __name__ == "__main__":
    main()
