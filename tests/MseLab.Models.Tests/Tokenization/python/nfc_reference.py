"""Reference for MseLab's NFC: Python's unicodedata.normalize("NFC", ...) on texts it builds itself from every
character with a canonical decomposition (alone, decomposed, with extra combining marks in both orders), Hangul
syllables and jamo sequences, and the texts on stdin (a JSON array). stdout: JSON [[input, nfc], ...]."""
import json
import sys
import unicodedata

texts = json.load(sys.stdin)
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    c = chr(cp)
    d = unicodedata.decomposition(c)
    if d and not d.startswith("<"):
        nfd = unicodedata.normalize("NFD", c)
        texts += [c, nfd, "x" + nfd + "\u0323\u0301", nfd + "\u0301\u0323", "\u0301" + nfd, nfd + nfd]
for cp in range(0xAC00, 0xD7A4, 37):
    texts += [chr(cp), unicodedata.normalize("NFD", chr(cp)), unicodedata.normalize("NFD", chr(cp)) + "\u11a8"]
texts += ["\u1100\u1161\u11a8", "\u1100\u1161", "\u1100\u0301\u1161", "\uac00\u11a8\u11a8"]
json.dump([[t, unicodedata.normalize("NFC", t)] for t in texts], sys.stdout)
