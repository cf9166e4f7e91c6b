"""Independent encoder/decoder for a LLaMA-2-layout tokenizer.json (SentencePiece BPE with byte fallback).

Written from the Hugging Face tokenizers documentation of each component, to check MseLab's trainer output
without the tokenizers package (Debian's python3 has none).

stdin:  {"tokenizer": "<path>", "texts": [...], "decode": [[ids], ...]}
stdout: {"with_special": [[ids]], "without_special": [[ids]], "decoded": ["text", ...]}
"""
import json
import sys

BOUNDARY = "\u2581"


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    model = doc["model"]
    assert model["type"] == "BPE" and model["byte_fallback"] is True
    vocab = model["vocab"]
    ranks = {}
    for rank, line in enumerate(model["merges"]):
        left, right = line.split(" ")
        ranks[(left, right)] = rank
    added = {t["content"]: t["id"] for t in doc["added_tokens"]}
    special_ids = {t["id"] for t in doc["added_tokens"] if t["special"]}
    template = doc["post_processor"]["single"]
    prefix = [doc["post_processor"]["special_tokens"][p["SpecialToken"]["id"]]["ids"][0]
              for p in template if "SpecialToken" in p]
    return vocab, ranks, added, special_ids, prefix


def split_added(text, added):
    """Splits text into (is_added, piece) parts, longest added token first at each position."""
    parts, current, i = [], "", 0
    by_length = sorted(added, key=len, reverse=True)
    while i < len(text):
        match = next((a for a in by_length if text.startswith(a, i)), None)
        if match is None:
            current += text[i]
            i += 1
            continue
        if current:
            parts.append((False, current))
            current = ""
        parts.append((True, match))
        i += len(match)
    if current:
        parts.append((False, current))
    return parts


def bpe(segment, vocab, ranks):
    normalized = BOUNDARY + segment.replace(" ", BOUNDARY)  # Prepend, then Replace
    symbols = []
    for ch in normalized:
        if ch in vocab:
            symbols.append(ch)
        else:
            symbols.extend("<0x%02X>" % b for b in ch.encode("utf-8"))
    while True:
        best = None
        for i in range(len(symbols) - 1):
            rank = ranks.get((symbols[i], symbols[i + 1]))
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, i)
        if best is None:
            break
        i = best[1]
        symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
    return [vocab[s] for s in symbols]


def encode(text, vocab, ranks, added, prefix, with_special):
    ids = list(prefix) if with_special else []
    for is_added, piece in split_added(text, added):
        ids.extend([added[piece]] if is_added else bpe(piece, vocab, ranks))
    return ids


def decode(ids, vocab, special_ids):
    inverse = {i: t for t, i in vocab.items()}
    tokens = [inverse[i].replace(BOUNDARY, " ") for i in ids if i not in special_ids and i in inverse]
    pieces, pending = [], bytearray()
    count = 0
    for token in tokens:  # ByteFallback
        if len(token) == 6 and token.startswith("<0x") and token.endswith(">"):
            pending.append(int(token[3:5], 16))
            count += 1
            continue
        if pending:
            pieces.append(flush(pending, count))
            pending, count = bytearray(), 0
        pieces.append(token)
    if pending:
        pieces.append(flush(pending, count))
    text = "".join(pieces)  # Fuse
    return text[1:] if text.startswith(" ") else text  # Strip one leading space


def flush(pending, count):
    try:
        return bytes(pending).decode("utf-8")
    except UnicodeDecodeError:
        return "\ufffd" * count


def main():
    request = json.load(sys.stdin)
    vocab, ranks, added, special_ids, prefix = load(request["tokenizer"])
    result = {
        "with_special": [encode(t, vocab, ranks, added, prefix, True) for t in request["texts"]],
        "without_special": [encode(t, vocab, ranks, added, prefix, False) for t in request["texts"]],
        "decoded": [decode(ids, vocab, special_ids) for ids in request["decode"]],
    }
    json.dump(result, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
