#!/usr/bin/python3
"""Writes a small MOSEI and MELD in the official layout (MOSEI/Processed/unaligned_50.pkl as an MMSA dict of arrays,
MELD/meld_{train,valid,test}.pkl as the authors' list of dicts), with Python's own pickle and numpy, for trials that
train end to end on stored data. The features carry the label (a planted direction plus noise over the true length),
so the tiny backbone has something to learn; shapes are the paper's widths with short sequences.

Usage: make_training_data.py ROOT [--seed N]
"""
import os
import pickle
import sys

import numpy as np

MELD_CLASSES = ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"]
WORDS = "the a really think movie was quite good bad not sure about it honestly".split()


def features(rng, n, steps, width, direction, scales):
    data = np.zeros((n, steps, width), dtype=np.float32)
    lengths = rng.integers(2, steps + 1, size=n)
    for i in range(n):
        valid = lengths[i]
        data[i, :valid] = (0.6 * scales[i] * direction[i] + rng.normal(size=(valid, width))).astype(np.float32)
    return data, lengths


def text(rng):
    return " ".join(rng.choice(WORDS, size=rng.integers(4, 10)))


def mosei(rng, root):
    out = {}
    a_dir, v_dir = np.sign(rng.normal(size=74)), np.sign(rng.normal(size=35))
    for split, n in (("train", 48), ("valid", 16), ("test", 16)):
        labels = np.round(rng.uniform(-3, 3, size=n), 1).astype(np.float32)
        audio, a_len = features(rng, n, 20, 74, np.tile(a_dir, (n, 1)), labels / 3)
        vision, v_len = features(rng, n, 16, 35, np.tile(v_dir, (n, 1)), labels / 3)
        out[split] = {
            "raw_text": np.array([text(rng) for _ in range(n)]),
            "audio": audio,
            "vision": vision,
            "id": np.array([f"video{split}{i}$_$0" for i in range(n)], dtype=object),
            "audio_lengths": [int(x) for x in a_len],
            "vision_lengths": [int(x) for x in v_len],
            "regression_labels": labels,
            "classification_labels": (labels > 0).astype(np.int64),
        }
    path = os.path.join(root, "MOSEI", "Processed", "unaligned_50.pkl")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        pickle.dump(out, f, protocol=4)


def meld(rng, root):
    a_proto, v_proto = np.sign(rng.normal(size=(7, 64))), np.sign(rng.normal(size=(7, 64)))
    os.makedirs(os.path.join(root, "MELD"), exist_ok=True)
    for split, n in (("train", 49), ("valid", 14), ("test", 14)):
        classes = rng.integers(0, 7, size=n)
        audio, a_len = features(rng, n, 20, 64, a_proto[classes], np.ones(n))
        video, v_len = features(rng, n, 8, 64, v_proto[classes], np.ones(n))
        items = [{"label": MELD_CLASSES[c],
                  "features": {"text": text(rng), "audio": audio[i], "video": video[i],
                               "audio_len": int(a_len[i]), "video_len": int(v_len[i])}}
                 for i, c in enumerate(classes)]
        with open(os.path.join(root, "MELD", f"meld_{split}.pkl"), "wb") as f:
            pickle.dump(items, f, protocol=4)


def main():
    root = sys.argv[1]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 13
    rng = np.random.default_rng(seed)
    mosei(rng, root)
    meld(rng, root)


if __name__ == "__main__":
    main()
