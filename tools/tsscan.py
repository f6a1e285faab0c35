#!/usr/bin/env python3
"""Independent, stdlib-only section scanner used to cross-check epgdump-rs's reader.

Written separately from the Rust code (simple whole-file logic, no streaming) so that the two can
disagree. Prints JSON: per-PID and per-table_id counts of CRC-valid sections, CRC failures,
truncations, CC errors on the EPG PIDs, TEI and scrambled packets.

usage: python3 tools/tsscan.py FILE [--all-pids]
"""
import json
import sys

EPG_PIDS = {0x10, 0x11, 0x12, 0x14, 0x24, 0x26, 0x27}
SHORT_TABLES = {0x70, 0x71, 0x72, 0x7E}


def _crc_table():
    table = []
    for i in range(256):
        crc = i << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if crc & 0x80000000 else (crc << 1) & 0xFFFFFFFF
        table.append(crc)
    return table


CRC_TABLE = _crc_table()


def crc32_mpeg2(data):
    """CRC-32/MPEG-2 (poly 0x04C11DB7, init 0xFFFFFFFF, no reflection, no final xor)."""
    crc = 0xFFFFFFFF
    for b in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ CRC_TABLE[(crc >> 24) ^ b]
    return crc


def find_stride(data):
    for i in range(min(len(data), 1000)):
        for stride in (188, 192, 204):
            if all(i + k * stride < len(data) and data[i + k * stride] == 0x47 for k in range(5)):
                return i, stride
    return None, None


def main():
    path = sys.argv[1]
    all_pids = "--all-pids" in sys.argv
    data = open(path, "rb").read()
    start, stride = find_stride(data)
    out = {"packet_size": stride, "packets": 0, "tei": 0, "scrambled": 0, "cc_errors": 0,
           "ok_by_pid_table": {}, "crc_fail": 0, "truncated": 0, "too_long": 0, "sync_losses": 0}
    if stride is None:
        print(json.dumps(out))
        return
    state = {}  # pid -> [buffer or None, last_cc]
    pos = start

    def complete(pid, sec):
        tid = sec[0]
        need_crc = tid not in SHORT_TABLES
        ok = True
        if need_crc:
            long_form = tid != 0x73
            if long_form and not (sec[1] & 0x80):
                ok = False
            elif len(sec) < (12 if long_form else 7):
                ok = False
            elif crc32_mpeg2(sec) != 0:
                ok = False
        if ok:
            key = "0x%04x/0x%02x" % (pid, tid)
            out["ok_by_pid_table"][key] = out["ok_by_pid_table"].get(key, 0) + 1
        else:
            out["crc_fail"] += 1

    while pos + 188 <= len(data):
        if data[pos] != 0x47:
            out["sync_losses"] += 1
            # resync: scan forward for 5 syncs at the same stride
            j = pos + 1
            while j + 4 * stride < len(data) and not all(data[j + k * stride] == 0x47 for k in range(5)):
                j += 1
            if j + 4 * stride >= len(data):
                break
            pos = j
            continue
        pkt = data[pos:pos + 188]
        pos += stride
        out["packets"] += 1
        tei = pkt[1] & 0x80
        pusi = pkt[1] & 0x40
        pid = ((pkt[1] & 0x1F) << 8) | pkt[2]
        scr = pkt[3] >> 6
        afc = (pkt[3] >> 4) & 3
        cc = pkt[3] & 0xF
        if tei:
            out["tei"] += 1
        if scr:
            out["scrambled"] += 1
        if not all_pids and pid not in EPG_PIDS:
            continue
        if tei or scr:
            continue
        st = state.setdefault(pid, {"buf": None, "cc": None, "dup": False})
        if afc & 1:
            if st["cc"] is not None:
                if cc == st["cc"]:
                    if not st["dup"]:
                        st["dup"] = True
                        continue
                    out["cc_errors"] += 1
                    if st["buf"] is not None:
                        out["truncated"] += 1
                    st["buf"] = None
                elif cc != (st["cc"] + 1) % 16:
                    disc = afc & 2 and pkt[4] > 0 and pkt[5] & 0x80
                    if not disc:
                        out["cc_errors"] += 1
                        if st["buf"] is not None:
                            out["truncated"] += 1
                        st["buf"] = None
            st["dup"] = False
            st["cc"] = cc
        if afc == 1:
            payload = pkt[4:]
        elif afc == 3:
            if 5 + pkt[4] > 188:
                continue
            payload = pkt[5 + pkt[4]:]
        else:
            continue
        if not payload:
            continue
        if pusi:
            ptr = payload[0]
            if ptr + 1 > len(payload):
                if st["buf"] is not None:
                    out["truncated"] += 1
                st["buf"] = None
                continue
            if st["buf"] is not None:
                st["buf"] += payload[1:1 + ptr]
                if len(st["buf"]) >= 3:
                    total = 3 + (((st["buf"][1] & 0xF) << 8) | st["buf"][2])
                    if len(st["buf"]) >= total:
                        complete(pid, st["buf"][:total])
                    else:
                        out["truncated"] += 1
                else:
                    out["truncated"] += 1
                st["buf"] = None
            rest = payload[1 + ptr:]
            while rest and rest[0] != 0xFF:
                if len(rest) < 3:
                    st["buf"] = bytearray(rest)
                    break
                total = 3 + (((rest[1] & 0xF) << 8) | rest[2])
                if total - 3 > 4093:
                    out["too_long"] += 1
                    break
                if len(rest) >= total:
                    complete(pid, rest[:total])
                    rest = rest[total:]
                else:
                    st["buf"] = bytearray(rest)
                    break
        elif st["buf"] is not None:
            st["buf"] += payload
            if len(st["buf"]) >= 3:
                total = 3 + (((st["buf"][1] & 0xF) << 8) | st["buf"][2])
                if total - 3 > 4093:
                    out["too_long"] += 1
                    st["buf"] = None
                elif len(st["buf"]) >= total:
                    complete(pid, st["buf"][:total])
                    st["buf"] = None
    for st in state.values():
        if st["buf"] is not None:
            out["truncated"] += 1
    by_table = {}
    for k, n in out["ok_by_pid_table"].items():
        t = k.split("/")[1]
        by_table[t] = by_table.get(t, 0) + n
    out["ok_by_table"] = dict(sorted(by_table.items()))
    out["ok_by_pid_table"] = dict(sorted(out["ok_by_pid_table"].items()))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
