"""Reference for MseLab's SentencePiece readers: Debian's python3-sentencepiece (the C++ library itself).

stdin: {"train": [{"path": ..., "corpus": [...], "options": {...}}], "encode": [{"path": ..., "texts": [...]}]}
Trains each model with SentencePieceTrainer (BPE) and writes it to path, then encodes the texts with
SentencePieceProcessor.encode (no BOS/EOS, as ChatGLM3's and LLaMA's tokenizers call it for text).
stdout: {"ids": [[[...] per text] per encode item], "pieces": [...same shape...], "vocab_size": [...]}
"""
import io
import json
import sys

import sentencepiece as spm

request = json.load(sys.stdin)
for item in request.get("train", []):
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(item["corpus"]), model_writer=model, model_type="bpe", minloglevel=2, **item["options"])
    with open(item["path"], "wb") as f:
        f.write(model.getvalue())

result = {"ids": [], "pieces": [], "vocab_size": []}
for item in request.get("encode", []):
    sp = spm.SentencePieceProcessor(model_file=item["path"])
    result["ids"].append([sp.encode(t) for t in item["texts"]])
    result["pieces"].append([sp.encode(t, out_type=str) for t in item["texts"]])
    result["vocab_size"].append(sp.vocab_size())
json.dump(result, sys.stdout)
