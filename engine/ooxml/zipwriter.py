"""A minimal, reproducible zip writer that can reuse parts compressed once.

A batch writes the same unchanged template parts (styles, theme, settings …) into every
plan. Compressing them once and copying the compressed bytes saves most of the cost of
writing a .docx; Python's zipfile always recompresses, hence this writer. Entries get a
fixed timestamp and fixed attributes, so the bytes depend only on the content.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1
_DOS_TIME_MIDNIGHT = 0
_STORED = 0
_DEFLATED = 8
_VERSION = 20
_UTF8_NAMES = 0x0800
_EXTERNAL_ATTRIBUTES = 0o600 << 16
COMPRESSION_LEVEL = 6


@dataclass(frozen=True)
class ZipEntry:
    """One compressed zip entry, ready to be written into any number of archives."""

    name: str
    crc: int
    size: int
    compressed: bytes
    method: int = _DEFLATED


def deflate(name: str, data: bytes) -> ZipEntry:
    """Compress ``data`` as the entry ``name``."""
    compressor = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, -15)
    compressed = compressor.compress(data) + compressor.flush()
    return ZipEntry(name, zlib.crc32(data), len(data), compressed)


def store(name: str, data: bytes) -> ZipEntry:
    """Keep ``data`` uncompressed as the entry ``name`` (for data that is compressed already)."""
    return ZipEntry(name, zlib.crc32(data), len(data), data, _STORED)


@dataclass(frozen=True)
class ArchiveStart:
    """The leading entries of an archive, laid out once: their bytes and directory records."""

    data: bytes
    directory: bytes
    count: int


def _records(entry: ZipEntry, offset: int) -> tuple[bytes, bytes]:
    name = entry.name.encode("utf-8")
    flags = 0 if entry.name.isascii() else _UTF8_NAMES
    fields = (
        _VERSION, flags, entry.method, _DOS_TIME_MIDNIGHT, _DOS_DATE_1980_01_01,
        entry.crc, len(entry.compressed), entry.size, len(name),
    )  # fmt: skip
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + entry.compressed
    central = (
        struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION, *fields, 0, 0, 0, 0, _EXTERNAL_ATTRIBUTES, offset)
        + name
    )
    return local, central


def lay_out(entries: Iterable[ZipEntry]) -> ArchiveStart:
    """Lay out entries that start every archive of a batch, so each archive only adds its own."""
    data: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for entry in entries:
        local, central = _records(entry, offset)
        data.append(local)
        directory.append(central)
        offset += len(local)
    return ArchiveStart(b"".join(data), b"".join(directory), len(data))


def archive(entries: Iterable[ZipEntry], start: ArchiveStart | None = None) -> bytes:
    """Write ``start`` (if given) and then the entries, in order, as one zip archive."""
    chunks = [start.data] if start else []
    directory = [start.directory] if start else []
    offset = len(start.data) if start else 0
    count = start.count if start else 0
    for entry in entries:
        local, central = _records(entry, offset)
        chunks.append(local)
        directory.append(central)
        offset += len(local)
        count += 1
    central_directory = b"".join(directory)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central_directory), offset, 0)
    return b"".join(chunks) + central_directory + end
