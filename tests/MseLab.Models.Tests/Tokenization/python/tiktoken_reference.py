"""Reference for MseLab's Qwen tokenizer: tiktoken's byte-pair merge in plain Python (tiktoken's _byte_pair_merge /
the educational simple BPE: repeatedly merge the adjacent pair whose joined bytes have the lowest rank, leftmost
among equals; a word that is itself a token is that token).

stdin: {"path": ".../qwen.tiktoken", "words": [[word, ...] per text]}
stdout: {"ids": [[id, ...] per text], "ranks": number of ranks}
Words come pre-split (Debian's python3 has no `regex` module for PAT_STR); the split is tested against the npm package.
"""
import base64
import json
import sys

request = json.load(sys.stdin)
ranks = {}
with open(request["path"], "rb") as f:
    for line in f.read().splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)


def encode_word(word):
    data = word.encode("utf-8")
    if data in ranks:
        return [ranks[data]]
    parts = [bytes([b]) for b in data]
    while True:
        best = None
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1])
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, i)
        if best is None:
            break
        i = best[1]
        parts[i:i + 2] = [parts[i] + parts[i + 1]]
    return [ranks[p] for p in parts]


ids = [[i for w in words for i in encode_word(w)] for words in request["words"]]
json.dump({"ids": ids, "ranks": len(ranks)}, sys.stdout)
