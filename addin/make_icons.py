"""Writes the add-in's icons (assets/icon-N.png): a green tile with a white check mark, no libraries needed.

Run once after changing the design: `python addin/make_icons.py`. The PNGs are committed; nothing downloads.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZES = (16, 32, 64, 80, 128)
GREEN = (0x1F, 0x8A, 0x4C)
WHITE = (0xFF, 0xFF, 0xFF)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int, height: int, pixel) -> bytes:
    """An RGBA PNG; `pixel(x, y)` gives (r, g, b, a)."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b"")


def _near_segment(px: float, py: float, a: tuple[float, float], b: tuple[float, float], width: float) -> bool:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2 <= width * width


def icon(size: int) -> bytes:
    radius, stroke = size * 0.2, max(1.0, size * 0.09)
    tick = ((0.24, 0.52), (0.42, 0.70), (0.76, 0.32))

    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        cx, cy = x + 0.5, y + 0.5
        # Rounded corners: outside the quarter circles is transparent.
        qx, qy = min(cx, size - cx), min(cy, size - cy)
        if qx < radius and qy < radius and (radius - qx) ** 2 + (radius - qy) ** 2 > radius * radius:
            return (0, 0, 0, 0)
        points = [(u * size, v * size) for u, v in tick]
        on_tick = any(_near_segment(cx, cy, points[i], points[i + 1], stroke) for i in range(2))
        return (*(WHITE if on_tick else GREEN), 255)

    return png(size, size, pixel)


if __name__ == "__main__":
    assets = Path(__file__).resolve().parent / "assets"
    assets.mkdir(exist_ok=True)
    for size in SIZES:
        (assets / f"icon-{size}.png").write_bytes(icon(size))
        print(f"assets/icon-{size}.png")
