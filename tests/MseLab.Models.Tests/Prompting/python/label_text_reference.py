"""What MSE-Adapter's Python code does with labels and generated text.

stdin:  {"labels": ["<float32 bits as 8 hex digits>", ...], "decoded": ["text", ...]}
stdout: {"plain": [...], "qwen": [...], "regression": [...], "classification": [...]}
Labels are float32 values widened to double, as tensor.item() returns them. A parse result is the float's
repr, or "ERR" where float() raises ValueError.
"""
import json
import struct
import sys


def widen(bits):
    return struct.unpack("<f", struct.pack("<I", int(bits, 16)))[0]


def parse(text):
    try:
        return repr(float(text))
    except ValueError:
        return "ERR"


def clean(text):
    return (text.replace("\u2013", "-").replace("\u4e00", "-").replace("\uff1a", "")
            .replace("/", "").replace("(", "").replace(":", ""))


def main():
    request = json.load(sys.stdin)
    labels = [widen(b) for b in request["labels"]]
    result = {
        "plain": [f"{x:.1f}" for x in labels],
        "qwen": [f"+{x:.1f}" if x >= 0 else f"{x:.1f}" for x in labels],
        "regression": [parse(clean(t)) for t in request["decoded"]],
        "classification": [parse(t) for t in request["decoded"]],
    }
    json.dump(result, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
