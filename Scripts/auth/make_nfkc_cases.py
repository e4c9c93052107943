#!/usr/bin/env python3
"""Writes Fixtures/auth/nfkc-cases.txt: random sequences of characters that exercise NFKC's
decomposition, canonical reordering and composition, each with Python's NFKC of it (Unicode 14.0,
as PostgreSQL 15). Foundation on Linux is no reference here: it fails to reorder marks that come
from different decompositions and to compose some Hangul LV + T pairs.
Run from the repository root: python3 Scripts/auth/make_nfkc_cases.py
"""
import random
import unicodedata

POOL = [
    0x41, 0x45, 0x61, 0x6F, 0x55, 0x5A, 0x3B1, 0x3C9, 0x438, 0x627, 0x915, 0x1100, 0x1112, 0x1161, 0x1175,
    0x11A8, 0x11C2, 0xAC00, 0xAC01, 0xD7A3, 0x300, 0x301, 0x302, 0x303, 0x308, 0x30A, 0x30C, 0x323,
    0x327, 0x328, 0x331, 0x345, 0x5AE, 0x654, 0x655, 0x93C, 0x94D, 0x3099, 0x309A, 0x304B, 0x30AB,
    0xFF76, 0xFF9E, 0xFB01, 0x2168, 0x1E9B, 0x212B, 0x2126, 0xC5, 0x1C4, 0xF73, 0xF75, 0xF81, 0x1D15E,
    0x1D400, 0x3200, 0x320E, 0x33C2, 0xFDFA, 0x344, 0x1FEE, 0x385, 0x3D3, 0x1E0A, 0x1E63,
]


def main():
    generator = random.Random(0x5A517072)
    with open("Fixtures/auth/nfkc-cases.txt", "w") as out:
        out.write(f"# input ; NFKC by Python's unicodedata {unicodedata.unidata_version} (made by make_nfkc_cases.py)\n")
        for _ in range(1000):
            text = "".join(chr(generator.choice(POOL)) for _ in range(generator.randint(1, 8)))
            normalized = unicodedata.normalize("NFKC", text)
            out.write(" ".join(f"{ord(c):X}" for c in text) + " ; " + " ".join(f"{ord(c):X}" for c in normalized) + "\n")


if __name__ == "__main__":
    main()
