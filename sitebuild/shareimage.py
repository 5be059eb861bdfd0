"""The image a shared link shows (og:image; WeChat's thumbnail): the site's own icon (site_src/static/icon.svg: a red
rounded square, a white leaf, a red stem) drawn as a PNG of SIZE x SIZE pixels, in pure Python (no imaging library),
byte for byte the same on every build. WeChat and other apps ignore images under 300 px and SVG."""

from __future__ import annotations

import struct
import zlib

SIZE = 600
RED = (0x8F, 0x1D, 0x1D)
WHITE = (0xFF, 0xFF, 0xFF)


def _leaf_half_width(y):
    """Half the leaf's width at icon height y (0..32), or None outside it: the icon's path
    M16 6 c-5 4 -7 9 -7 13 a7 7 0 0 0 14 0 c0 -4 -2 -9 -7 -13 z, symmetric about x = 16."""
    if 19 <= y <= 26:
        return (49 - (y - 19) ** 2) ** 0.5  # the lower half: a circle of radius 7 around (16, 19)
    if 6 <= y < 19:
        # the upper part: the cubic from (16, 6) through controls (11, 10), (9, 15) to (9, 19); find t for this y
        lo, hi = 0.0, 1.0
        for _ in range(30):
            t = (lo + hi) / 2
            by = (1 - t) ** 3 * 6 + 3 * (1 - t) ** 2 * t * 10 + 3 * (1 - t) * t ** 2 * 15 + t ** 3 * 19
            lo, hi = (t, hi) if by < y else (lo, t)
        t = (lo + hi) / 2
        bx = (1 - t) ** 3 * 16 + 3 * (1 - t) ** 2 * t * 11 + 3 * (1 - t) * t ** 2 * 9 + t ** 3 * 9
        return 16 - bx
    return None


def _in_rounded_square(x, y):
    r = 6
    cx = min(max(x, r), 32 - r)
    cy = min(max(y, r), 32 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def share_png(size=SIZE):
    """The PNG's bytes."""
    scale = 32 / size
    rows = []
    for py in range(size):
        y = (py + 0.5) * scale
        half = _leaf_half_width(y)
        row = bytearray(b"\x00")  # filter type: none
        for px in range(size):
            x = (px + 0.5) * scale
            if not _in_rounded_square(x, y):
                colour = WHITE
            elif half is not None and abs(x - 16) <= half and not (12 <= y <= 28 and abs(x - 16) <= 1):
                colour = WHITE
            else:
                colour = RED
            row += bytes(colour)
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))
