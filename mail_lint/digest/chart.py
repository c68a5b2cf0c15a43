"""Bar charts of weekly scores as PNG, written in pure Python: mail clients show PNG, few show SVG.

Only rectangles are drawn, so each pixel row is a few slice assignments on a bytearray; fifty
sparklines take milliseconds and nothing beyond the standard library is needed.
"""
from __future__ import annotations

import struct
import zlib

WHITE = (255, 255, 255)
BASELINE = (209, 213, 219)
EMPTY = (229, 231, 235)


def score_color(score: float) -> tuple[int, int, int]:
    """Green from 85, amber from 70, red below: the same bands as the score badges in the HTML."""
    if score >= 85:
        return (47, 158, 98)
    if score >= 70:
        return (232, 163, 23)
    return (220, 76, 76)


def _tint(color: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    """`color` moved `amount` of the way towards white: earlier weeks recede, the week itself stands out."""
    return tuple(round(c + (255 - c) * amount) for c in color)  # type: ignore[return-value]


def floor_for(values: list[float | None]) -> int:
    """Where bars start: below the lowest score by a margin, so differences between weeks are visible."""
    present = [v for v in values if v is not None]
    if not present:
        return 0
    return max(0, int(min(present) - 15) // 10 * 10)


def bar_chart(values: list[float | None], width: int, height: int, scale: int = 2) -> bytes:
    """One bar per value (score 0-100, None for a week without mail); the last bar in full colour.

    `width`/`height` are CSS pixels; the PNG has `scale` times as many, for sharp high-DPI screens.
    """
    w, h = width * scale, height * scale
    slot = w / max(len(values), 1)
    floor = floor_for(values)
    bars = []
    for i, value in enumerate(values):
        x0 = round(i * slot + slot * 0.18)
        x1 = max(x0 + scale, round((i + 1) * slot - slot * 0.18))
        if value is None:
            top, color = h - 2 * scale, EMPTY
        else:
            share = (value - floor) / (100 - floor) if floor < 100 else 1.0
            top = h - max(3 * scale, round(share * (h - scale)))
            color = score_color(value) if i == len(values) - 1 else _tint(score_color(value), 0.45)
        bars.append((x0, x1, top, bytes(color)))
    rows = []
    background, baseline = bytes(WHITE) * w, bytes(BASELINE) * w
    for y in range(h):
        row = bytearray(baseline if y >= h - max(1, scale // 2) else background)
        for x0, x1, top, color in bars:
            if y >= top:
                inset = (2 - (y - top)) * max(1, scale // 2) if y - top < 2 else 0  # a rounded top
                row[(x0 + inset) * 3:(x1 - inset) * 3] = color * (x1 - x0 - 2 * inset)
        rows.append(bytes(row))
    return png_rgb(w, h, rows)


def png_rgb(width: int, height: int, rows: list[bytes]) -> bytes:
    """A truecolour PNG from rows of RGB bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))
