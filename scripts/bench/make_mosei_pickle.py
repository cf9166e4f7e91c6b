#!/usr/bin/python3
"""Writes a MOSEI-shaped MMSA pickle for `mselab bench data`: MOSEI/Processed/unaligned_50.pkl under a data root.

Usage: make_mosei_pickle.py ROOT --size-gb X [--seed S]

Like the real file (datasets.md §2, §6): one dict {train, valid, test} (N split 70/10/20), each with the MMSA keys in
file order: raw_text (<U array), audio (N, 500, 74) float32 and vision (N, 500, 35) float32 zero padded at the back,
id (object array), text (N, 50, 768) float32, text_bert (N, 3, 50) float64, audio_lengths and vision_lengths (Python
lists of int, as getLengths.py writes them), annotations (<U), classification_labels and regression_labels (float32);
a few audio -inf and vision NaN for the official cleaning; pickle protocol 4. N is chosen so the file is about X GB.
Prints {"n": N, "bytes": size} as JSON.
"""
import argparse
import json
import os
import pickle

import numpy as np

T, AUDIO, VISION, TEXT_L, BERT = 500, 74, 35, 50, 768
# Bytes per sample in the pickle: the four numeric arrays, plus about 1 KB of text, id, annotation and label.
PER_SAMPLE = T * AUDIO * 4 + T * VISION * 4 + TEXT_L * BERT * 4 + 3 * TEXT_L * 8 + 1024
WORDS = "the movie was great but i did not like the ending at all really quite good bad okay fine".split()


def split(rng, name, n):
    def padded(width, lengths):
        data = rng.standard_normal((n, T, width), dtype=np.float32)
        for i, length in enumerate(lengths):
            data[i, length:, :] = 0
        return data

    audio_lengths = [int(v) for v in rng.integers(1, T + 1, size=n)]
    vision_lengths = [int(v) for v in rng.integers(1, T + 1, size=n)]
    audio = padded(AUDIO, audio_lengths)
    vision = padded(VISION, vision_lengths)
    for i in range(0, n, 7):  # the values the official cleaning rewrites (audio -inf, vision NaN)
        audio[i, 0, i % AUDIO] = -np.inf
        vision[i, 0, i % VISION] = np.nan
    texts = [" ".join(rng.choice(WORDS, size=int(rng.integers(5, 30)))) for _ in range(n)]
    labels = np.round(rng.uniform(-3, 3, size=n) * 3) / 3
    return {
        "raw_text": np.array(texts),
        "audio": audio,
        "vision": vision,
        "id": np.array([f"{name}video{i:05d}$_${i % 9}" for i in range(n)], dtype=object),
        "text": rng.standard_normal((n, TEXT_L, BERT), dtype=np.float32),
        "text_bert": rng.integers(0, 30000, size=(n, 3, TEXT_L)).astype(np.float64),
        "audio_lengths": audio_lengths,
        "vision_lengths": vision_lengths,
        "annotations": np.array(["Positive" if v > 0 else "Negative" if v < 0 else "Neutral" for v in labels]),
        "classification_labels": np.sign(labels).astype(np.float32) + 1,
        "regression_labels": labels.astype(np.float32),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--size-gb", type=float, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n = max(10, int(args.size_gb * (1 << 30) / PER_SAMPLE))
    counts = {"train": int(n * 0.7), "valid": int(n * 0.1)}
    counts["test"] = n - counts["train"] - counts["valid"]
    rng = np.random.default_rng(args.seed)
    data = {name: split(rng, name, count) for name, count in counts.items()}
    folder = os.path.join(args.root, "MOSEI", "Processed")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "unaligned_50.pkl")
    with open(path + ".part", "wb") as handle:
        pickle.dump(data, handle, protocol=4)
    os.replace(path + ".part", path)
    print(json.dumps({"n": n, "bytes": os.path.getsize(path)}))


if __name__ == "__main__":
    main()
