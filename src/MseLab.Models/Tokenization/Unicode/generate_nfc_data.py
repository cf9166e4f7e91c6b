"""Writes nfc-data.txt, the Unicode data UnicodeNfc.cs needs, from Python's unicodedata (run with Debian's python3:
Unicode 14.0, the tables Qwen's own `unicodedata.normalize("NFC", ...)` uses there).

Lines: `D cp d1 [d2]` canonical decomposition (one level; `C` in place of `D` when cp is a primary composite that NFC
recomposes), `K cp ccc` non-zero canonical combining class. Hex code points; Hangul syllables are algorithmic.
"""
import sys
import unicodedata

out = [f"# Unicode {unicodedata.unidata_version} canonical data for NFC, written by generate_nfc_data.py"]
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    c = chr(cp)
    d = unicodedata.decomposition(c)
    if d and not d.startswith("<"):
        parts = [int(x, 16) for x in d.split()]
        composite = len(parts) == 2 and unicodedata.normalize("NFC", "".join(map(chr, parts))) == c
        out.append(("C " if composite else "D ") + " ".join(f"{x:X}" for x in [cp] + parts))
    ccc = unicodedata.combining(c)
    if ccc:
        out.append(f"K {cp:X} {ccc}")
sys.stdout.write("\n".join(out) + "\n")
