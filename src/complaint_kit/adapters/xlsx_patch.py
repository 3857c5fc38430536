"""Targeted writes into an ``.xlsx`` package (issue 10): the parts of a register that change are
patched as bytes, every other part is copied raw (no inflate, no deflate).

What is here, bottom up:

* :func:`write_package` — a zip writer that copies unchanged members' compressed bytes as they
  are and deflates only the replaced ones;
* :class:`Styles` — ``xl/styles.xml`` seen as indexes: a cell keeps its style index; a new number
  format, font or border is added once and reused by index (never a new style per cell);
* :func:`cell_xml` — one cell as openpyxl 3.1 writes it (inline strings, ``%.16g`` numbers, dates
  as serials from 1899-12-30), so a patched register reads back exactly as an openpyxl save would;
* :func:`patch_rows` — merges changed cells into the ``<row>`` elements of a sheet's XML,
  inserting rows that do not exist yet, and copying every byte between them unchanged;
* :func:`follow_ranges` — the sheet dimension, a table's ref, conditional-formatting and
  data-validation ranges that grow with the table;
* :func:`sheet_xml` — a generated sheet (催办单, 在办案件) as a whole new part.

Anything the patcher does not understand raises :class:`Unsupported`; the register engine
(:mod:`.register_file`) then falls back to openpyxl for that write, so an unusual workbook is
slower, never damaged.
"""

from __future__ import annotations

import functools
import itertools
import re
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..ports import Formula, SheetContent
from .textfit import wide_row_height

EPOCH = datetime(1899, 12, 30)
LARGE_PART = 8 * 1024 * 1024  # deflated at level 1 above this (a 100k register's sheet: 4× faster)


class Unsupported(Exception):
    """A workbook or a value the byte patcher does not handle: write through openpyxl instead."""


# ---------------------------------------------------------------------------------------------
# Zip: raw copy of unchanged members
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")


def _deflate(data: bytes | list[bytes | memoryview]) -> tuple[bytes, int, int]:
    """Deflated bytes, CRC-32 and size of a part given whole or as chunks (a patched sheet is
    the unchanged stretches of the old one as memoryviews around the new rows: never joined)."""
    chunks = [data] if isinstance(data, bytes) else data
    size = sum(len(c) for c in chunks)
    packer = zlib.compressobj(1 if size > LARGE_PART else 6, zlib.DEFLATED, -15)
    out, crc = [], 0
    for chunk in chunks:
        out.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    out.append(packer.flush())
    return b"".join(out), crc, size


# ---------------------------------------------------------------------------------------------
# Seekable sheet parts: a big worksheet deflated in independent segments
#
# A register's sheets grow to tens of megabytes of XML (the 签章 sheet of 10,000 cases: 33 MB),
# and a click changes a few rows of them. A part written by the kit above SEGMENTED_ABOVE is
# deflated as segments — its head up to ``<sheetData>``, runs of whole rows of about SEGMENT
# bytes, its tail from ``</sheetData>`` — each compressed on its own and ended by a full flush,
# so the concatenation is one ordinary deflate stream (Excel, LibreOffice, openpyxl and calamine
# read it as any other) in which every segment can be inflated alone and replaced alone. Where
# the segments lie (sizes, CRC-32s, first row numbers) is kept in an extra field of the part's zip
# entry (:data:`SEGMENT_EXTRA`). A write then inflates and deflates only the segments it touches
# and copies the others' compressed bytes; the part's CRC-32 is combined from the segments'.
# A part that another program saved has no such field and is read and written whole, once.
SEGMENT = 1 << 20  # uncompressed bytes of rows per segment (a 10k register's 签章: 33 segments)
SEGMENTED_ABOVE = 4 << 20  # parts larger than this are written as segments
SEGMENT_EXTRA = 0x6B63  # the extra field's id ("ck"; unknown ids are skipped by zip readers)
TAIL_ROW = 0xFFFFFFFF  # first_row of the tail segment (the head's is 0)
_SEG_ENTRY = struct.Struct("<IIII")  # size, compressed size, CRC-32, first row
_SEG_VERSION = 1
_EXTRA_HEAD = struct.Struct("<HH")


class Segment:
    """One segment of a seekable part: where its compressed bytes are in the file (``offset``,
    ``csize``), its uncompressed ``size`` and ``crc``, and the number of its first row (0 for
    the head, :data:`TAIL_ROW` for the tail)."""

    __slots__ = ("crc", "csize", "first_row", "offset", "size")

    def __init__(self, first_row: int, size: int, csize: int, crc: int, offset: int = 0) -> None:
        self.first_row, self.size, self.csize, self.crc, self.offset = first_row, size, csize, crc, offset

    def __repr__(self) -> str:
        return f"Segment(row {self.first_row}, {self.size} B, {self.csize} B packed)"


class Segments:
    """A seekable part to write: each item a :class:`Segment` of the source file (copied as its
    compressed bytes) or new XML (bytes) to deflate; the first item is the head, the last the tail."""

    def __init__(self, items: list[Segment | bytes]) -> None:
        self.items = items


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


@functools.cache
def _zero_operators() -> tuple[list[int], ...]:
    """zlib's ``crc32_combine`` operators: the CRC-32 register after 2**k zero bytes, k = 0..31."""

    def square(m: list[int]) -> list[int]:
        return [_gf2_times(m, m[n]) for n in range(32)]

    one_bit = [0xEDB88320] + [1 << n for n in range(31)]
    op = square(square(square(one_bit)))  # 8 zero bits: one byte
    ops = []
    for _ in range(32):
        ops.append(op)
        op = square(op)
    return tuple(ops)


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of ``a + b`` from ``crc32(a)``, ``crc32(b)`` and ``len(b)`` (as zlib's
    ``crc32_combine``, which Python's zlib does not expose)."""
    if len2 <= 0:
        return crc1
    for k, op in enumerate(_zero_operators()):
        if len2 >> k & 1:
            crc1 = _gf2_times(op, crc1)
        if len2 >> k == 0:
            break
    return crc1 ^ crc2


def segment_extra(segments: list[Segment]) -> bytes:
    payload = bytes([_SEG_VERSION]) + b"".join(_SEG_ENTRY.pack(s.size, s.csize, s.crc, s.first_row) for s in segments)
    if len(payload) > 0xFFFF - _EXTRA_HEAD.size:
        raise Unsupported("too many segments")
    return _EXTRA_HEAD.pack(SEGMENT_EXTRA, len(payload)) + payload


def _extra_fields(extra: bytes) -> Iterator[tuple[int, bytes, bytes]]:
    """A zip entry's extra fields: (id, the whole field, its data)."""
    at = 0
    while at + _EXTRA_HEAD.size <= len(extra):
        kind, size = _EXTRA_HEAD.unpack_from(extra, at)
        end = at + _EXTRA_HEAD.size + size
        yield kind, extra[at:end], extra[at + _EXTRA_HEAD.size : end]
        at = end


def read_segments(info: Any, data_offset: int) -> list[Segment] | None:
    """The segments of a zip entry written seekable by the kit, or None: no such extra field, or
    one that does not add up to the entry (sizes, CRC, order of rows) — then the part is read whole."""
    payload = next((data for kind, _, data in _extra_fields(info.extra or b"") if kind == SEGMENT_EXTRA), None)
    if not payload or payload[0] != _SEG_VERSION or (len(payload) - 1) % _SEG_ENTRY.size:
        return None
    if info.compress_type != 8:  # deflated
        return None
    segments, offset, crc = [], data_offset, 0
    for size, csize, seg_crc, first_row in _SEG_ENTRY.iter_unpack(payload[1:]):
        segments.append(Segment(first_row, size, csize, seg_crc, offset))
        offset += csize
        crc = crc32_combine(crc, seg_crc, size)
    rows = [s.first_row for s in segments[1:-1]]
    if (
        len(segments) < 2
        or segments[0].first_row != 0
        or segments[-1].first_row != TAIL_ROW
        or any(not 0 < a < b for a, b in itertools.pairwise(rows))
        or (rows and rows[0] <= 0)
        or sum(s.size for s in segments) != info.file_size
        or offset - data_offset != info.compress_size
        or crc != info.CRC
    ):
        return None
    return segments


def inflate_segment(src: Any, segment: Segment, *, last: bool) -> bytes:
    """One segment's XML, checked against its size and CRC-32 (a damaged one is refused)."""
    src.seek(segment.offset)
    packed = src.read(segment.csize)
    unpacker = zlib.decompressobj(-15)
    try:
        data = unpacker.decompress(packed)
    except zlib.error as exc:
        raise Unsupported(f"segment at {segment.offset}: {exc}") from None
    if (
        len(data) != segment.size
        or zlib.crc32(data) != segment.crc
        or (last and not unpacker.eof)
        or (not last and not packed.endswith(b"\x00\x00\xff\xff"))
    ):
        raise Unsupported(f"segment at {segment.offset} does not match its entry")
    return data


_ROW_START = re.compile(rb'<row\b[^>]*?\br="(\d+)"')


def first_row(rows: bytes) -> int:
    m = _ROW_START.search(rows)
    if m is None:
        raise Unsupported("a segment without rows")
    return int(m.group(1))


def split_rows(rows: bytes | memoryview, size: int = 0) -> list[bytes]:
    """XML of whole ``<row>`` elements cut into runs of about ``size`` bytes, at row starts."""
    size = size or SEGMENT
    data = bytes(rows)
    out, at = [], 0
    while len(data) - at > size * 3 // 2:
        cut = data.find(b"<row ", at + size)
        if cut < 0:
            break
        out.append(data[at:cut])
        at = cut
    if at < len(data):
        out.append(data[at:])
    return [piece for piece in out if piece.strip()]


def as_segments(pieces: list[bytes | memoryview]) -> Segments:
    """A whole worksheet given as pieces (head, rows…, tail) as a seekable part to write."""
    head, tail = bytes(pieces[0]), bytes(pieces[-1])
    rows = b"".join(pieces[1:-1])
    return Segments([head, *split_rows(rows), tail])


def _pack_segments(src: Any, items: list[Segment | bytes]) -> tuple[list[bytes], int, int, list[Segment]]:
    """Compressed bytes, CRC-32, size and the new segment entries of a seekable part."""
    fresh = sum(len(x) for x in items if isinstance(x, bytes | bytearray))
    level = 1 if fresh > LARGE_PART else 6
    out: list[bytes] = []
    entries: list[Segment] = []
    crc = size = 0
    for i, item in enumerate(items):
        last = i == len(items) - 1
        row = 0 if i == 0 else TAIL_ROW if last else None
        if isinstance(item, Segment):
            if last != (item.first_row == TAIL_ROW):  # only the tail's bytes end the stream
                raise Unsupported("a segment copied out of its place")
            src.seek(item.offset)
            out.append(src.read(item.csize))
            entries.append(Segment(item.first_row, item.size, item.csize, item.crc))
            crc = crc32_combine(crc, item.crc, item.size)
            size += item.size
            continue
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        packed = packer.compress(item) + packer.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)
        out.append(packed)
        item_crc = zlib.crc32(item)
        entries.append(Segment(first_row(item) if row is None else row, len(item), len(packed), item_crc))
        crc = crc32_combine(crc, item_crc, len(item))
        size += len(item)
    return out, crc, size, entries


def write_package(
    source: Path,
    target: Path,
    replaced: Mapping[str, bytes | list[bytes | memoryview] | Segments],
    *,
    drop: Iterable[str] = (),
) -> None:
    """Write ``source`` to ``target`` with the members in ``replaced`` swapped (or added at the
    end, in the order given) and ``drop`` left out; every other member's compressed bytes, CRC,
    sizes and extra fields are copied unchanged. A replacement given as :class:`Segments` is
    written seekable, copying its unchanged segments' compressed bytes from ``source``. Zip64
    archives are refused (a register is far below 4 GB)."""
    import zipfile

    dropped = set(drop)
    with zipfile.ZipFile(source) as zf, source.open("rb") as src, target.open("wb") as out:
        infos = zf.infolist()
        if len(infos) >= 0xFFFF or any(i.file_size >= 0xFFFFFFFF or i.compress_size >= 0xFFFFFFFF for i in infos):
            raise Unsupported("zip64")
        central: list[bytes] = []
        pending = dict(replaced)
        names = [i.filename for i in infos]

        def add_new(name: str, data: bytes | list[bytes | memoryview] | Segments, when: tuple[int, int]) -> None:
            if isinstance(data, Segments):
                chunks, crc, size, entries = _pack_segments(src, data.items)
                add(name, zipfile.ZIP_DEFLATED, crc, chunks, size, when, segment_extra(entries))
                return
            if not isinstance(data, bytes) and sum(map(len, data)) > SEGMENTED_ABOVE and _is_sheet(name):
                add_new(name, as_segments(data), when)
                return
            packed, crc, size = _deflate(data)
            add(name, zipfile.ZIP_DEFLATED, crc, [packed], size, when)

        def add(
            name: str, method: int, crc: int, data: list[bytes], size: int, when: tuple[int, int], extra: bytes = b""
        ) -> None:
            encoded = name.encode("utf-8")
            flags = 0x800 if not name.isascii() else 0
            offset = out.tell()
            packed = sum(map(len, data))
            out.write(
                _LOCAL.pack(
                    b"PK\x03\x04", 20, flags, method, when[0], when[1], crc, packed, size, len(encoded), len(extra)
                )
            )
            out.write(encoded)
            out.write(extra)
            for chunk in data:
                out.write(chunk)
            central.append(
                _CENTRAL.pack(
                    b"PK\x01\x02",
                    20,
                    20,
                    flags,
                    method,
                    when[0],
                    when[1],
                    crc,
                    packed,
                    size,
                    len(encoded),
                    len(extra),
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + encoded
                + extra
            )

        for info in infos:
            name = info.filename
            if name in dropped:
                continue
            when = _dos_time(info.date_time)
            if name in pending:
                add_new(name, pending.pop(name), when)
                continue
            src.seek(_data_offset(src, info))
            raw = src.read(info.compress_size)
            add(name, info.compress_type, info.CRC, [raw], info.file_size, when, _kept_extra(info.extra))
        stamp = _dos_time((2026, 1, 1, 0, 0, 0))
        for name, data in pending.items():  # new parts (a sheet, its rels)
            if name in names:
                continue
            add_new(name, data, stamp)
        start = out.tell()
        for record in central:
            out.write(record)
        out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _kept_extra(extra: bytes) -> bytes:
    """A copied entry's extra fields, all but zip64's (the copy is below 4 GB by construction)."""
    return b"".join(field for kind, field, _ in _extra_fields(extra) if kind != 0x0001)


def _data_offset(src: Any, info: Any) -> int:
    """Where an entry's compressed bytes start: past its local header, name and extra field."""
    src.seek(info.header_offset)
    fields = _LOCAL.unpack(src.read(_LOCAL.size))
    if fields[0] != b"PK\x03\x04":
        raise Unsupported(f"bad local header for {info.filename}")
    return int(info.header_offset + _LOCAL.size + fields[9] + fields[10])


def _dos_time(dt: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = dt
    return (hour << 11) | (minute << 5) | (second // 2), (max(year, 1980) - 1980) << 9 | (month << 5) | day


# ---------------------------------------------------------------------------------------------
# Cell references
@functools.cache
def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """``"A1:AP10001"`` → (min_col, min_row, max_col, max_row); one cell is a range of one."""
    parts = ref.split(":")
    found = [_REF.fullmatch(p.strip()) for p in parts]
    if len(parts) not in (1, 2) or not all(found):
        raise Unsupported(f"range {ref!r}")
    (c1, r1), (c2, r2) = ((m.group(1), m.group(2)) for m in (found[0], found[-1]))  # type: ignore[union-attr]
    return column_index(c1), int(r1), column_index(c2), int(r2)


def range_text(min_col: int, min_row: int, max_col: int, max_row: int) -> str:
    return f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}"


# ---------------------------------------------------------------------------------------------
# Styles
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"[^>]*/>')
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
_SECTION = r"<{0}\b[^>]*?(?:/>|>(.*?)</{0}>)"

BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}


def _unescape(text: str) -> str:
    return (
        text.replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


class Styles:
    """``xl/styles.xml`` as lists of XML snippets: formats by id, fonts, borders and cell formats
    (``cellXfs``) by index. New entries are appended (deduplicated), so indexes already in the
    sheets stay valid; :meth:`xml` gives the part back, unchanged when nothing was added."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.formats: dict[int, str] = dict(BUILTIN_FORMATS)
        for m in _NUMFMT.finditer(data):
            self.formats[int(m.group(1))] = _unescape(m.group(2).decode("utf-8"))
        self.fonts = self._section(b"fonts", rb"<font\b[^>]*?(?:/>|>.*?</font>)")
        self.borders = self._section(b"borders", rb"<border\b[^>]*?(?:/>|>.*?</border>)")
        self.xfs = self._section(b"cellXfs", _XF.pattern)
        self._base = (len(self.fonts), len(self.borders), len(self.xfs))
        self._new_formats: dict[int, str] = {}
        self._xf_index = {x: i for i, x in reversed(list(enumerate(self.xfs)))}
        self._font_index = {x: i for i, x in reversed(list(enumerate(self.fonts)))}
        self._border_index = {x: i for i, x in reversed(list(enumerate(self.borders)))}

    def _section(self, tag: bytes, item: bytes) -> list[bytes]:
        m = re.search(_SECTION.format(tag.decode()).encode(), self.data, re.S)
        if m is None:
            raise Unsupported(f"styles.xml without {tag.decode()}")
        return [x.group(0) for x in re.finditer(item, m.group(1) or b"", re.S)]

    @property
    def changed(self) -> bool:
        return (len(self.fonts), len(self.borders), len(self.xfs)) != self._base or bool(self._new_formats)

    def number_format(self, style: int) -> str:
        """The number format of cell style ``style`` (``General`` for 0 or an unknown index)."""
        if not 0 <= style < len(self.xfs):
            return "General"
        m = re.search(rb'numFmtId="(\d+)"', self.xfs[style])
        return self.formats.get(int(m.group(1)), "General") if m else "General"

    def _format_id(self, code: str) -> int:
        for fid, text in self.formats.items():
            if text == code:
                return fid
        fid = max([163, *self.formats]) + 1
        self.formats[fid] = self._new_formats[fid] = code
        return fid

    def _add(self, items: list[bytes], index: dict[bytes, int], xml: bytes) -> int:
        if xml not in index:
            index[xml] = len(items)
            items.append(xml)
        return index[xml]

    def with_format(self, style: int, code: str) -> int:
        """Style ``style`` with number format ``code`` instead of its own: the index of an equal
        cell format if there is one, else of one appended once."""
        base = (
            self.xfs[style]
            if 0 <= style < len(self.xfs)
            else b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        )
        fid = self._format_id(code)
        xml = _set_attrs(base, {b"numFmtId": str(fid).encode(), b"applyNumberFormat": b"1"})
        return self._add(self.xfs, self._xf_index, xml)

    def style(
        self,
        *,
        font: bytes | None = None,
        border: bytes | None = None,
        alignment: bytes | None = None,
        code: str = "General",
    ) -> int:
        """The cell format with this font, border, alignment and number format (appended once)."""
        attrs = {
            b"numFmtId": str(self._format_id(code)).encode(),
            b"fontId": b"0",
            b"fillId": b"0",
            b"borderId": b"0",
            b"xfId": b"0",
        }
        if code != "General":
            attrs[b"applyNumberFormat"] = b"1"
        if font is not None:
            attrs[b"fontId"], attrs[b"applyFont"] = str(self._add(self.fonts, self._font_index, font)).encode(), b"1"
        if border is not None:
            attrs[b"borderId"], attrs[b"applyBorder"] = (
                str(self._add(self.borders, self._border_index, border)).encode(),
                b"1",
            )
        if alignment is not None:
            attrs[b"applyAlignment"] = b"1"
        head = b"<xf " + b" ".join(k + b'="' + v + b'"' for k, v in attrs.items())
        xml = head + (b">" + alignment + b"</xf>" if alignment is not None else b"/>")
        return self._add(self.xfs, self._xf_index, xml)

    def xml(self) -> bytes:
        if not self.changed:
            return self.data
        data = self.data
        if self._new_formats:
            new = b"".join(
                b'<numFmt numFmtId="%d" formatCode=%s/>' % (fid, quoteattr(code).encode("utf-8"))
                for fid, code in self._new_formats.items()
            )
            m = re.search(rb"<numFmts\b[^>]*?(/>|>)", data)
            if m is None:
                at = re.search(rb"<styleSheet\b[^>]*>", data)
                if at is None:
                    raise Unsupported("styles.xml without styleSheet")
                data = (
                    data[: at.end()]
                    + b'<numFmts count="%d">' % len(self._new_formats)
                    + new
                    + b"</numFmts>"
                    + data[at.end() :]
                )
            elif m.group(1) == b"/>":
                data = (
                    data[: m.start()]
                    + b'<numFmts count="%d">' % len(self._new_formats)
                    + new
                    + b"</numFmts>"
                    + data[m.end() :]
                )
            else:
                end = data.index(b"</numFmts>", m.end())
                count = len(_NUMFMT.findall(data[m.end() : end])) + len(self._new_formats)
                data = data[: m.start()] + b'<numFmts count="%d">' % count + data[m.end() : end] + new + data[end:]
        for tag, items in ((b"fonts", self.fonts), (b"borders", self.borders), (b"cellXfs", self.xfs)):
            m = re.search(_SECTION.format(tag.decode()).encode(), data, re.S)
            assert m is not None
            data = (
                data[: m.start()]
                + b'<%s count="%d">' % (tag, len(items))
                + b"".join(items)
                + b"</%s>" % tag
                + data[m.end() :]
            )
        return data


def _set_attrs(element: bytes, attrs: Mapping[bytes, bytes]) -> bytes:
    """``element``'s start tag with ``attrs`` set (replaced or added)."""
    end = element.index(b">")
    close = end - 1 if element[end - 1 : end] == b"/" else end
    head, rest = element[:close], element[close:]
    for key, value in attrs.items():
        pattern = re.compile(rb"\s" + re.escape(key) + rb'="[^"]*"')
        if pattern.search(head):
            head = pattern.sub(b" " + key + b'="' + value + b'"', head, count=1)
        else:
            head += b" " + key + b'="' + value + b'"'
    return head + rest


# ---------------------------------------------------------------------------------------------
# Values
def serial(value: datetime | date) -> float:
    """A date as Excel's serial day number, as openpyxl's ``to_excel`` computes it."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise Unsupported("time zone")
        moment = value
    else:
        moment = datetime.combine(value, time())
    days = (moment - EPOCH).days
    if 0 < days <= 60:
        days -= 1
    t = moment.time()
    return days + (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 10**6) / 86400


def number_text(value: float | int | Decimal) -> str:
    """A number as openpyxl writes it (``"%.16g" % value``: through a float, 16 digits)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise Unsupported("nan")
    return format(float(value), ".16g")


def cell_key(value: Any) -> tuple[str, str] | None:
    """What a value is once written, for telling a changed cell from an unchanged one: None for
    an empty cell; dates and numbers by the text openpyxl would store."""
    if value is None or value == "":
        return None
    if isinstance(value, Formula):
        return ("f", str(value))
    if isinstance(value, bool):
        return ("b", "1" if value else "0")
    if isinstance(value, int | float | Decimal):
        return ("n", number_text(value))
    if isinstance(value, datetime | date):
        return ("d", number_text(serial(value)))
    if isinstance(value, str):
        return ("s", value)
    raise Unsupported(type(value).__name__)


def _text(value: str) -> str:
    preserve = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<t{preserve}>{escape(value)}</t>"


def cell_xml(ref: str, value: Any, style: int) -> str:
    """One ``<c>`` element as openpyxl 3.1 writes it; ``value`` None keeps an empty styled cell."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, Formula):
        return f'<c r="{ref}"{s}><f>{escape(str(value)[1:])}</f><v></v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{s} t="n"><v>{number_text(value)}</v></c>'
    if isinstance(value, datetime | date):
        return f'<c r="{ref}"{s} t="n"><v>{number_text(serial(value))}</v></c>'
    if isinstance(value, str):
        return f'<c r="{ref}"{s} t="inlineStr"><is>{_text(value)}</is></c>'
    if isinstance(value, time | timedelta):
        raise Unsupported(type(value).__name__)
    raise Unsupported(type(value).__name__)


# ---------------------------------------------------------------------------------------------
# Rows
_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(/?)>')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>.*?</c>)", re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+)\d+"')
_ATTR_S = re.compile(rb'\bs="(\d+)"')

# a cell's new XML from (column letters, row, value, the cell's style index now or None)
CellWriter = Callable[[int, int, Any, "int | None"], str]


def sheet_data_bounds(data: bytes) -> tuple[int, int]:
    """Where the rows go: the span between ``<sheetData>`` and ``</sheetData>`` (-1 for an empty
    ``<sheetData/>``, which :func:`split_sheet` expands)."""
    start = data.find(b"<sheetData")
    if start < 0:
        raise Unsupported("no sheetData")
    open_end = data.index(b">", start) + 1
    if data[open_end - 2 : open_end] == b"/>":
        return start, -1
    return open_end, data.rindex(b"</sheetData>")


Pieces = list[Any]  # [head bytes, middle pieces (bytes or memoryview) …, tail bytes]


def split_sheet(data: bytes) -> tuple[bytes, int, int]:
    """``data`` with an empty ``<sheetData/>`` expanded, and the bounds of its rows."""
    start, end = sheet_data_bounds(data)
    if end < 0:
        tag_end = data.index(b"/>", start) + 2
        data = data[:start] + b"<sheetData></sheetData>" + data[tag_end:]
        start, end = sheet_data_bounds(data)
    return data, start, end


def find_row(data: bytes, lo: int, end: int, r: int) -> re.Match[bytes] | None:
    """The first ``<row>`` at or after offset ``lo`` whose number is ≥ ``r`` (rows are in order):
    bisected over byte offsets, so finding a row of a 100,000-row sheet reads a few kilobytes."""
    hi = end
    while hi - lo > 8192:
        mid = (lo + hi) // 2
        m = _ROW.search(data, mid, end)
        if m is None or int(m.group(1)) >= r:
            hi = mid
        else:
            lo = m.end()
    for m in _ROW.finditer(data, lo, end):
        if int(m.group(1)) >= r:
            return m
    return None


def row_spans(data: bytes, at: int, end: int) -> Any:
    """``(row number, the row's inner XML)`` of every ``<row>`` from offset ``at`` on."""
    for m in _ROW.finditer(data, at, end):
        if m.group(2) == b"/":
            yield int(m.group(1)), b""
            continue
        close = data.index(b"</row>", m.end())
        yield int(m.group(1)), data[m.end() : close]


def patch_rows(data: bytes, changes: Mapping[int, Mapping[int, Any]], write: CellWriter) -> Pieces:
    """``data`` (a worksheet part) as pieces — its head up to ``<sheetData>``, the rows, its tail
    from ``</sheetData>`` — with the cells in ``changes`` (row → column → value) written by
    ``write``. Other cells of those rows and all other rows are the old bytes (memoryviews, not
    copies); rows that do not exist are inserted in order."""
    data, start, end = split_sheet(data)
    view = memoryview(data)
    pieces: Pieces = [data[:start]]
    at = start
    for r in sorted(changes):
        m = find_row(data, at, end, r)
        if m is None:  # after every existing row
            pieces.append(view[at:end])
            at = end
            pieces.append(_new_row(r, changes[r], write))
            continue
        pieces.append(view[at : m.start()])
        if int(m.group(1)) > r:  # missing: inserted before the next row
            pieces.append(_new_row(r, changes[r], write))
            at = m.start()
            continue
        if m.group(2) == b"/":
            close, body, head = m.end(), b"", data[m.start() : m.end() - 2] + b">"
        else:
            close = data.index(b"</row>", m.end()) + len(b"</row>")
            body, head = data[m.end() : close - len(b"</row>")], data[m.start() : m.end()]
        pieces.append(head + _merge_cells(r, body, changes[r], write) + b"</row>")
        at = close
    pieces.append(view[at:end])
    pieces.append(data[end:])
    return pieces


def _new_row(r: int, cells: Mapping[int, Any], write: CellWriter) -> bytes:
    body = "".join(write(c, r, v, None) for c, v in sorted(cells.items()))
    return f'<row r="{r}">{body}</row>'.encode()


def _merge_cells(r: int, body: bytes, cells: Mapping[int, Any], write: CellWriter) -> bytes:
    existing: list[tuple[int, bytes, int | None]] = []
    for m in _CELL.finditer(body):
        ref = _ATTR_R.search(m.group(1))
        if ref is None:
            raise Unsupported("a cell without its reference")
        style = _ATTR_S.search(m.group(1))
        existing.append((column_index(ref.group(1).decode()), m.group(0), int(style.group(1)) if style else None))
    out: list[bytes] = []
    pending = sorted(cells.items())
    k = 0
    for col, xml, style in existing:
        while k < len(pending) and pending[k][0] < col:
            out.append(write(pending[k][0], r, pending[k][1], None).encode())
            k += 1
        if k < len(pending) and pending[k][0] == col:
            out.append(write(col, r, pending[k][1], style if style is not None else 0).encode())
            k += 1
        else:
            out.append(xml)
    for col, value in pending[k:]:
        out.append(write(col, r, value, None).encode())
    return b"".join(out)


# ---------------------------------------------------------------------------------------------
# Ranges that follow a table
_SQREF = re.compile(rb'(<(?:conditionalFormatting|dataValidation)\b[^>]*?\bsqref=")([^"]*)(")')
_DIMENSION = re.compile(rb'<dimension\b[^>]*?\bref="([^"]*)"[^>]*/>')


def follow_sqref(sqref: str, first_body_row: int, old_last: int, new_last: int) -> str:
    """A space-separated range list with every range that covers the table's body down to (at
    least) its old last row stretched to ``new_last``: the whole-row colour and the drop-downs
    reach every case, however many there are. Ranges elsewhere stay as they are."""
    out = []
    for part in sqref.split():
        try:
            c1, r1, c2, r2 = parse_range(part)
        except Unsupported:
            out.append(part)
            continue
        if r1 <= first_body_row and r2 >= old_last and r2 < new_last:
            out.append(range_text(c1, r1, c2, new_last) if ":" in part else part)
        else:
            out.append(part)
    return " ".join(out)


def follow_ranges(tail: bytes, first_body_row: int, old_last: int, new_last: int) -> bytes:
    """A worksheet's tail (from ``</sheetData>``) with conditional-formatting and validation
    ranges following the table to ``new_last`` (see :func:`follow_sqref`)."""
    if new_last <= old_last:
        return tail

    def stretch(m: re.Match[bytes]) -> bytes:
        text = follow_sqref(m.group(2).decode(), first_body_row, old_last, new_last)
        return m.group(1) + text.encode() + m.group(3)

    return _SQREF.sub(stretch, tail)


def set_dimension(head: bytes, max_col: int, max_row: int) -> bytes:
    """A worksheet's head (up to ``<sheetData>``) with its dimension covering the given cell."""
    m = _DIMENSION.search(head)
    if m is None:
        return head
    try:
        c1, r1, c2, r2 = parse_range(m.group(1).decode())
    except Unsupported:
        return head
    new = range_text(c1, r1, max(c2, max_col), max(r2, max_row)).encode()
    return head[: m.start(1)] + new + head[m.end(1) :]


def set_table_ref(data: bytes, ref: str) -> bytes:
    """A table part with its ``ref`` (and its autoFilter's) set to ``ref``."""
    data = re.sub(rb'(<table\b[^>]*?\bref=")[^"]*(")', lambda m: m.group(1) + ref.encode() + m.group(2), data, count=1)
    return re.sub(
        rb'(<autoFilter\b[^>]*?\bref=")[^"]*(")', lambda m: m.group(1) + ref.encode() + m.group(2), data, count=1
    )


# ---------------------------------------------------------------------------------------------
# A generated sheet, written whole
_THIN = b'style="thin"><color rgb="00808080"/>'
BOX = b"<border>" + b"".join(b"<%s %s</%s>" % (side, _THIN, side) for side in (b"left", b"right", b"top", b"bottom"))
BOX += b"<diagonal/></border>"
TOP = b'<alignment vertical="top"/>'
TOP_WRAP = b'<alignment vertical="top" wrapText="1"/>'
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def font_xml(name: str | None, *, bold: bool = False, size: float | None = None) -> bytes:
    parts = []
    if name:
        parts.append(f"<name val={quoteattr(name)}/>")
    if bold:
        parts.append('<b val="1"/>')
    if size:
        parts.append(f'<sz val="{size:g}"/>')
    return ("<font>" + "".join(parts) + "</font>").encode("utf-8")


def sheet_xml(
    content: SheetContent, styles: Styles, *, date_format: str, datetime_format: str, check: Callable[[str, Any], None]
) -> bytes:
    """A generated sheet (:class:`SheetContent`) as a worksheet part, laid out as
    ``openpyxl_book._write_sheet`` lays it out: the title bold on row 1, the rows from row 2, one
    style per kind of cell, bordered boxes, merged wide rows, widths, the header frozen, A4
    landscape one page wide. ``check(ref, value)`` refuses text a cell cannot hold."""
    width = content.columns
    bold = font_xml(content.font, bold=True)
    plain = font_xml(content.font) if content.font else None
    boxed = {r for first, last in content.boxes for r in range(first, last + 1)}
    cache: dict[tuple[Any, ...], int] = {}

    def style_of(i: int, j: int, value: Any) -> int:
        font = align = None
        code = "General"
        if j < len(content.rows[i]):  # a cell of the row: its font, alignment and number format
            font = bold if i in content.bold_rows else plain
            wrap = len(content.rows[i]) > 1 and isinstance(value, str) and len(value) > 20
            align = TOP_WRAP if wrap else TOP
            if j in content.formats:
                code = content.formats[j]
            elif isinstance(value, datetime):
                code = datetime_format
            elif isinstance(value, date):
                code = date_format
        if i in content.wide_rows and j == 0:
            align = TOP_WRAP
        border = BOX if i in boxed and j < width else None
        key = (font, border, align, code)
        if key not in cache:
            styled = font is not None or border is not None or align is not None or code != "General"
            cache[key] = styles.style(font=font, border=border, alignment=align, code=code) if styled else 0
        return cache[key]

    title_style = styles.style(font=font_xml(content.font, bold=True, size=14))
    rows = [f'<row r="1">{cell_xml("A1", content.title, title_style)}</row>']
    merges = []
    max_col = 1
    by_kind: dict[tuple[Any, ...], int] = {}  # (kind of row, column, type, wraps) → style: one lookup per cell
    for i, values in enumerate(content.rows):
        r = i + 2
        cells = []
        row_kind = (i in content.bold_rows, i in boxed, i in content.wide_rows, len(values) > 1)
        count = max(len(values), width if i in boxed else 0, 1 if i in content.wide_rows else 0)
        for j in range(count):
            value = values[j] if j < len(values) else None
            ref = f"{column_letter(j + 1)}{r}"
            t = type(value)
            if t is str:
                check(ref, value)
            key = (row_kind, j, t, t is str and len(value) > 20, j < len(values))
            style = by_kind.get(key)
            if style is None:
                style = by_kind[key] = style_of(i, j, value)
            if value is not None and value != "":
                cells.append(cell_xml(ref, value, style))
            elif style:
                cells.append(f'<c r="{ref}" s="{style}"/>')
        max_col = max(max_col, count)
        height = content.wide_rows.get(i)
        if i in content.wide_rows and height is None:  # as tall as its text (LibreOffice does not grow it)
            height = wide_row_height(str(values[0] if values else "") or "", content.widths, width)
        attrs = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        rows.append(f'<row r="{r}"{attrs}>{"".join(cells)}</row>')
        if i in content.wide_rows and width > 1:
            merges.append(f'<mergeCell ref="A{r}:{column_letter(width)}{r}"/>')
    last_row = len(content.rows) + 1
    cols = "".join(
        f'<col min="{j + 1}" max="{j + 1}" width="{w:g}" customWidth="1"/>' for j, w in enumerate(content.widths)
    )
    parts = [
        f'<worksheet xmlns="{MAIN_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
        '<pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{column_letter(max(max_col, width))}{last_row}"/>',
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
        ' state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>',
        '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
        f"<cols>{cols}</cols>" if cols else "",
        "<sheetData>",
        *rows,
        "</sheetData>",
        f'<mergeCells count="{len(merges)}">{"".join(merges)}</mergeCells>' if merges else "",
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>',
        f'<pageSetup orientation="{"landscape" if content.landscape else "portrait"}" paperSize="9"'
        ' fitToHeight="0" fitToWidth="1"/>',
        "</worksheet>",
    ]
    return "".join(parts).encode("utf-8")


def segments_in(path: Path) -> dict[str, list[Segment]]:
    """Every seekable part of the package (see :class:`Segments`) → its segments in the file."""
    import zipfile

    found: dict[str, list[Segment]] = {}
    marker = struct.pack("<H", SEGMENT_EXTRA)
    with zipfile.ZipFile(path) as zf, path.open("rb") as src:
        for info in zf.infolist():
            if marker not in (info.extra or b""):
                continue
            try:
                segments = read_segments(info, _data_offset(src, info))
            except Unsupported:  # a damaged local header: the part is read whole, and refused there
                continue
            if segments is not None:
                found[info.filename] = segments
    return found


def seekable_copy(source: Path, target: Path) -> list[str]:
    """``source`` written to ``target`` with every worksheet above :data:`SEGMENTED_ABOVE` laid
    out seekable (what the kit's first write of a big register does on its way); the parts it
    laid out. Every other member is copied raw."""
    import zipfile

    with zipfile.ZipFile(source) as zf:
        big = [i.filename for i in zf.infolist() if _is_sheet(i.filename) and i.file_size > SEGMENTED_ABOVE]
        parts: dict[str, bytes | list[bytes | memoryview] | Segments] = {}
        for name in big:
            data, start, end = split_sheet(zf.read(name))
            parts[name] = as_segments([data[:start], memoryview(data)[start:end], data[end:]])
    write_package(source, target, parts)
    return big
