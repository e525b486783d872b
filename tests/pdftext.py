"""The text of a PDF written by WeasyPrint, read back as a reader selects it: each font's
``ToUnicode`` map applied to the glyphs the pages show (``Tj``/``TJ`` under ``Tf``). A small
reader for the tests (no PDF library is a dependency): it proves the text is selectable, not
just drawn."""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
STREAM = re.compile(rb"^(.*?)stream\r?\n(.*)\r?\nendstream", re.S)
FONTS = re.compile(rb"/Font\s*<<(.*?)>>", re.S)
FONTS_REF = re.compile(rb"/Font\s+(\d+) 0 R")
FONT_REF = re.compile(rb"/([^\s/<>\[\]]+)\s+(\d+) 0 R")
TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+) 0 R")
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
HEX_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
HEX_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
TOKENS = re.compile(rb"/([^\s/<>\[\]()]+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|(BT)|(ET)", re.S)


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for number, body in OBJECT.findall(pdf):
        stream = STREAM.match(body)
        if stream is None:
            found[int(number)] = (body, None)
            continue
        head, data = stream.groups()
        if b"/FlateDecode" in head:
            try:
                data = zlib.decompress(data)
            except zlib.error:
                data = zlib.decompressobj().decompress(data)
        found[int(number)] = (head, data)
    for head, data in list(found.values()):
        if data is not None and b"/ObjStm" in head:  # objects packed in an object stream (PDF 1.5)
            count = int(re.search(rb"/N\s+(\d+)", head).group(1))
            first = int(re.search(rb"/First\s+(\d+)", head).group(1))
            pairs = [int(x) for x in data[:first].split()][: 2 * count]
            offsets = list(zip(pairs[::2], pairs[1::2], strict=True))
            for i, (number, offset) in enumerate(offsets):
                end = first + offsets[i + 1][1] if i + 1 < len(offsets) else len(data)
                found.setdefault(number, (data[first + offset : end], None))
    return found


def _cmap(data: bytes) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for block in BFCHAR.findall(data):
        for src, dst in HEX_PAIR.findall(block):
            mapping[src.decode().lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in BFRANGE.findall(data):
        for low, high, dst in HEX_RANGE.findall(block):
            start, width = int(low, 16), len(low)
            first = int(dst, 16)
            for offset in range(int(high, 16) - start + 1):
                mapping[f"{start + offset:0{width}x}"] = chr(first + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    """The selectable text of ``pdf``, one line per text object."""
    objects = _objects(pdf)
    maps: dict[int, dict[str, str]] = {}
    for number, (head, _) in objects.items():
        ref = TO_UNICODE.search(head)
        if ref and b"/Font" in head:
            maps[number] = _cmap(objects.get(int(ref.group(1)), (b"", b""))[1] or b"")
    by_name: dict[bytes, dict[str, str]] = {}
    for head, _ in objects.values():
        blocks = FONTS.findall(head) + [objects.get(int(n), (b"", None))[0] for n in FONTS_REF.findall(head)]
        for block in blocks:
            for name, number in FONT_REF.findall(block):
                if int(number) in maps:
                    by_name[name] = maps[int(number)]
    lines: list[str] = []
    for _head, data in objects.values():
        if data is None or b"BT" not in data or b"Tf" not in data:
            continue
        font: dict[str, str] = {}
        line = ""
        for name, array, single, begin, end in TOKENS.findall(data):
            if name:
                font = by_name.get(name, {})
            elif begin or end:
                if line:
                    lines.append(line)
                line = ""
            else:
                for hexed in re.findall(rb"<([0-9a-fA-F]*)>", array) if array else [single]:
                    text = hexed.decode().lower()
                    line += "".join(font.get(text[i : i + 4], "\ufffd") for i in range(0, len(text), 4))
        if line:
            lines.append(line)
    return "\n".join(lines)


def is_pdf_a_3b(pdf: bytes) -> bool:
    """The XMP metadata says PDF/A-3, conformance B."""
    return any(
        data is not None and b'pdfaid:part="3"' in data and b'pdfaid:conformance="B"' in data
        for _, data in _objects(pdf).values()
    )
