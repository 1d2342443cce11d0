"""Builders of hostile and odd xlsx files, and a runner that measures a child's time and memory."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def write_raw_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip from pre-deflated entries: (name, raw deflate bytes, crc32, uncompressed size)."""
    out = bytearray()
    central = bytearray()
    for name, deflated, crc, size in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflated), size, len(encoded), 0)
        out += encoded + deflated
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(deflated), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def deflate(data: bytes) -> tuple[str, bytes, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def zip_bomb(path: Path, template: Path, gigabytes: int = 2) -> Path:
    """A real workbook whose first sheet inflates to `gigabytes` of spaces (about 2 MB on disk)."""
    chunk = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # identical for every chunk after a full flush
    count = gigabytes * 1024
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    bomb = block * count + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    entries = []
    for name, data in parts_of(template).items():
        if name == "xl/worksheets/sheet1.xml":
            entries.append((name, bomb, crc, (count * len(chunk)) & 0xFFFFFFFF))
        else:
            entries.append((name, *deflate(data)))
    return write_raw_zip(path, entries)


def run_bounded(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `python main.py ARGS` and return (result, seconds, peak memory in MB of the child)."""
    code = (
        "import resource, runpy, sys\n"
        f"sys.argv = ['main.py'] + {list(map(str, args))!r}\n"
        "try:\n"
        f"    runpy.run_path({str(ROOT / 'main.py')!r}, run_name='__main__')\n"
        "finally:\n"
        # ru_maxrss survives fork+exec on Linux (it would report pytest's own peak); VmHWM does not.
        "    try:\n"
        "        peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "    except OSError:\n"
        "        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    print('MAXRSS_KB', peak, file=sys.stderr)\n"
    )
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            cwd=ROOT, env=env, timeout=timeout)
    seconds = time.monotonic() - start
    lines = result.stderr.splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("MAXRSS_KB")) / 1024
    result.stderr = "\n".join(line for line in lines if not line.startswith("MAXRSS_KB"))
    return result, seconds, peak
