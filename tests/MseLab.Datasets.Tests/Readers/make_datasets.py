#!/usr/bin/python3
"""Writes the six datasets in the official folder layout, small, with Python's own pickle and numpy, and what the
official loader makes of them.

Usage: make_datasets.py OUT

  OUT/good/            one data root holding all six datasets (MOSEI, SIMS_V2, MELD, CHERMA0723, MOSI, SIMS)
  OUT/bad/CASE/        one data root per bad case (a single dataset, broken in one way)
  OUT/expected.json    per dataset, computed from the written files by re-reading them with pickle.load and applying
                       the official loader's operations (MSE-Adapter data/load_data.py, datasets.md §2-§3):
                       "summaries": what `mselab data inspect --json` must print;
                       "samples":   per split the texts, ids, lengths, labels, per-sample float64 sums of the cleaned
                                    features, and probes (modality, sample, flat index, value) at the planted
                                    -inf/NaN/+inf values, in Fortran-stored items and at a few fixed places.
Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".

Each dataset uses a different spread of the container and dtype variants of datasets.md §6 (see the builders), so
that every variant the official loader accepts is read at least once.
"""
import copy
import json
import math
import os
import pickle
import shlex
import sys

import numpy as np

MELD_CLASSES = ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"]
CHERMA_CLASSES = ["愤怒", "厌恶", "恐惧", "高兴", "平静", "悲伤", "惊奇"]
SPLITS = ["train", "valid", "test"]

# Where the official configs put each dataset (datasets.md §1; MMSA's paths for MOSI and SIMS).
LAYOUT = {
    "mosei": ["MOSEI/Processed/unaligned_50.pkl"],
    "simsv2": ["SIMS_V2/ch-simsv2s.pkl"],
    "meld": [f"MELD/meld_{s}.pkl" for s in SPLITS],
    "cherma": [f"CHERMA0723/cherma_{s}.pkl" for s in SPLITS],
    "mosi": ["MOSI/Processed/unaligned_50.pkl"],
    "sims": ["SIMS/Processed/unaligned_39.pkl"],
}

rng = np.random.default_rng(13)


# ---------------------------------------------------------------------------------------------------------------------
# Feature arrays


def padded(n, steps, width, lengths=None):
    """(n, steps, width) float64 values zero padded at the back after each sample's length (random 1..steps)."""
    if lengths is None:
        lengths = rng.integers(1, steps + 1, size=n)
    data = rng.normal(size=(n, steps, width))
    for i, length in enumerate(lengths):
        data[i, length:, :] = 0.0
    return data, [int(v) for v in lengths]


def get_lengths(data):
    """MSE-Adapter data/getLengths.py: the index of the first frame whose feature sum is exactly 0 (T when none), and
    0 becomes 1; a Python list of int."""
    lengths = []
    for sample in data:
        length = sample.shape[0]
        for t, frame in enumerate(sample):
            if np.sum(frame) == 0:
                length = t
                break
        lengths.append(1 if length == 0 else length)
    return lengths


PLANTED = []  # (dataset, split, modality, sample, flat index): probed in expected.json


def plant(dataset, split, modality, array, sample, frame, column, value):
    array[sample, frame, column] = value
    PLANTED.append((dataset, split, modality, sample, frame * array.shape[2] + column))


def plant_item(dataset, split, modality, item, sample, frame, column, value):
    item[frame, column] = value
    PLANTED.append((dataset, split, modality, sample, frame * item.shape[1] + column))


# ---------------------------------------------------------------------------------------------------------------------
# MMSA datasets: {'train': {...}, 'valid': {...}, 'test': {...}}


def mosei():
    """raw_text <U ndarray, id object ndarray, lengths Python lists written like getLengths.py, -inf/NaN/+inf planted
    in audio and vision, the ignored keys text/text_bert/annotations/classification_labels; written with protocol 4."""
    sizes = {"train": 7, "valid": 5, "test": 6}
    words = ["great movie", "not good at all", "it was okay I guess", "terrible", "loved it", "meh", "wow"]
    data = {}
    for split, n in sizes.items():
        audio, _ = padded(n, 6, 74)
        vision, _ = padded(n, 5, 35)
        audio = audio.astype(np.float32)
        vision = vision.astype(np.float32)
        if split == "train":
            vision[0] = 0.0  # an all-zero sample: getLengths gives it length 1
            plant("mosei", split, "audio", audio, 1, 0, 3, -np.inf)  # cleaned to 0
            plant("mosei", split, "audio", audio, 2, 0, 0, np.inf)  # stays: the audio sum is +inf
            plant("mosei", split, "vision", vision, 1, 0, 2, np.nan)  # cleaned to 0
            plant("mosei", split, "vision", vision, 3, 0, 1, np.inf)  # stays: the vision sum is +inf
        elif split == "valid":
            plant("mosei", split, "audio", audio, 0, 0, 0, -np.inf)  # cleaned: the audio sum stays finite
            plant("mosei", split, "vision", vision, 1, 0, 0, np.nan)  # cleaned to 0
            plant("mosei", split, "vision", vision, 2, 0, 4, -np.inf)  # stays: the vision sum is -inf
        else:
            plant("mosei", split, "audio", audio, 1, 0, 5, -np.inf)  # cleaned to 0
            plant("mosei", split, "audio", audio, 2, 0, 7, np.nan)  # stays: the audio sum is NaN
            plant("mosei", split, "vision", vision, 0, 0, 0, np.nan)  # cleaned: the vision sum stays finite
        labels = np.round(rng.uniform(-3, 3, size=n) * 4) / 4  # quarter steps, ties included
        labels[0] = 0.0
        data[split] = {
            "raw_text": np.array([words[i % len(words)] + f" #{split}{i}" for i in range(n)]),
            "audio": audio,
            "vision": vision,
            "id": np.array([f"vid{split}{i}$_${i}" for i in range(n)], dtype=object),
            "text": rng.normal(size=(n, 4, 8)).astype(np.float32),
            "text_bert": rng.integers(0, 100, size=(n, 3, 4)).astype(np.float64),
            "audio_lengths": get_lengths(audio),
            "vision_lengths": get_lengths(vision),
            "annotations": np.array(["Positive" if v > 0 else "Negative" for v in labels]),
            "classification_labels": (labels > 0).astype(np.int64),
            "regression_labels": labels.astype(np.float32),
        }
    return data


def simsv2():
    """raw_text a Python list, id a <U ndarray, lengths int64 ndarrays (true lengths, MMSA-FET style), labels and the
    unimodal _T/_A/_V labels float64, vision float64 in Fortran order, text_bert Fortran float64, a non-contiguous
    ignored array; written with protocol 5 (contiguous arrays become _frombuffer, the others _reconstruct)."""
    sizes = {"train": 6, "valid": 5, "test": 5}
    data = {}
    for split, n in sizes.items():
        audio, audio_lengths = padded(n, 7, 25)
        vision, vision_lengths = padded(n, 4, 177)
        labels = np.round(rng.uniform(-1, 1, size=n), 1)
        split_data = {
            "raw_text": [f"今天的天气{'很好' if i % 2 else '一般'}，第{i}句" for i in range(n)],
            "audio": audio.astype(np.float32),
            "vision": np.asfortranarray(vision),
            "id": np.array([f"aqgy{i:03d}_{split}" for i in range(n)]),
            "text": rng.normal(size=(n, 6, 5)).astype(np.float32)[:, ::2, :],
            "text_bert": np.asfortranarray(rng.integers(0, 50, size=(n, 3, 5)).astype(np.float64)),
            "audio_lengths": np.array(audio_lengths, dtype=np.int64),
            "vision_lengths": np.array(vision_lengths, dtype=np.int64),
            "regression_labels": labels.astype(np.float64),
        }
        for modality in "TAV":
            split_data[f"regression_labels_{modality}"] = np.round(rng.uniform(-1, 1, size=n), 1)
            split_data[f"classification_labels_{modality}"] = rng.integers(0, 3, size=n)
        data[split] = split_data
    return data


def mosi():
    """raw_text, id, lengths and regression_labels as Python lists (MMSA wraps the labels in np.array; MSE-Adapter's
    loader would want an ndarray there); written with protocol 2 (array bytes travel as _codecs.encode)."""
    sizes = {"train": 6, "valid": 5, "test": 5}
    data = {}
    for split, n in sizes.items():
        audio, audio_lengths = padded(n, 4, 5)
        vision, vision_lengths = padded(n, 6, 20)
        data[split] = {
            "raw_text": [f"this is sentence {i} of {split}" for i in range(n)],
            "audio": audio.astype(np.float32),
            "vision": vision.astype(np.float32),
            "id": [f"03bSnISJMiM${split}${i}" for i in range(n)],
            "audio_lengths": audio_lengths,
            "vision_lengths": vision_lengths,
            "regression_labels": [float(v) for v in np.round(rng.uniform(-3, 3, size=n), 3)],
        }
    return data


def sims():
    """raw_text an object ndarray; valid and test share one vision array and one vision_lengths list (pickle memoises
    them: the second is a reference back); float32 labels on SIMS' 0.2 grid; protocol 4."""
    n = 5
    shared_vision, shared_vision_lengths = padded(n, 3, 709)
    shared_vision = shared_vision.astype(np.float32)
    data = {}
    for split in SPLITS:
        audio, audio_lengths = padded(n, 4, 33)
        if split == "train":
            vision, vision_lengths = padded(n, 3, 709)
            vision = vision.astype(np.float32)
        else:
            vision, vision_lengths = shared_vision, shared_vision_lengths
        data[split] = {
            "raw_text": np.array([f"{split}样本{i}" for i in range(n)], dtype=object),
            "audio": audio.astype(np.float32),
            "vision": vision,
            "id": np.array([f"video_{split}_{i}" for i in range(n)], dtype=object),
            "audio_lengths": np.array(audio_lengths, dtype=np.int32),
            "vision_lengths": vision_lengths,
            "regression_labels": (rng.integers(-5, 6, size=n) * 0.2).astype(np.float32),
            "regression_labels_T": (rng.integers(-5, 6, size=n) * 0.2).astype(np.float32),
        }
    return data


# ---------------------------------------------------------------------------------------------------------------------
# ERC datasets: one list of {'label': str, 'features': {...}} per split file


def meld_split(split, n):
    """video float32, Fortran order for odd items; audio an ndarray, except item 2 as nested Python lists; Python int
    lengths; MELD's mojibake apostrophe in item 1; a numpy.str_ text in item 3; extra keys at both levels; a -inf and a
    NaN in train (left as they are); protocol 4."""
    items = []
    for i in range(n):
        audio, (audio_len,) = padded(1, 5, 64)
        video, (video_len,) = padded(1, 3, 64)
        audio = audio[0].astype(np.float32)
        video = video[0].astype(np.float32)
        if i % 2 == 1:
            video = np.asfortranarray(video)
        if split == "train" and i in (0, 1):
            # MELD and CHERMA get no cleaning at all: these stay in the official loader's arrays.
            plant_item("meld", split, "audio" if i == 0 else "vision", audio if i == 0 else video, i, 0, 2, -np.inf if i == 0 else np.nan)
        text = "You\u00e2\u0080\u0099re kidding me" if i == 1 else f"utterance {i} of {split}"
        if i == 3:
            text = np.str_(text)  # a numpy str scalar, as a text taken from a numpy array is
        items.append({
            "label": MELD_CLASSES[(i * 3 + len(split)) % 7],
            "dialogue": i // 3,
            "features": {
                "text": text,
                "audio": audio.tolist() if i == 2 else audio,
                "video": video,
                "audio_len": int(audio_len),
                "video_len": int(video_len),
                "speaker": "Chandler",
            },
        })
    return items


def cherma_split(split, n):
    """audio float32, video float64, lengths numpy.int64 scalars, an astral character (U+20BB7) in the text, a
    numpy.str_ label in item 1; protocol 3."""
    items = []
    for i in range(n):
        label = CHERMA_CLASSES[(i * 2 + len(split)) % 7]
        audio, (audio_len,) = padded(1, 2, 1024)
        video, (video_len,) = padded(1, 2, 2048)
        items.append({
            "label": np.str_(label) if i == 1 else label,
            "features": {
                "text": f"\U00020BB7老师说第{i}句（{split}）",
                "audio": audio[0].astype(np.float32),
                "video": video[0],
                "audio_len": np.int64(audio_len),
                "video_len": np.int64(video_len),
            },
        })
    return items


def meld():
    return {"train": meld_split("train", 7), "valid": meld_split("valid", 5), "test": meld_split("test", 6)}


def cherma():
    return {"train": cherma_split("train", 5), "valid": cherma_split("valid", 4), "test": cherma_split("test", 4)}


PROTOCOLS = {"mosei": 4, "simsv2": 5, "meld": 4, "cherma": 3, "mosi": 2, "sims": 4}


def write(root, name, data, files=None):
    """Writes one dataset under root in the official layout (ERC: one file per split; files limits which)."""
    protocol = PROTOCOLS[name]
    for relative in (files or LAYOUT[name]):
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if name in ("meld", "cherma"):
            split = relative.rsplit("_", 1)[1][:-len(".pkl")]
            value = data[split]
        else:
            value = data
        with open(path, "wb") as handle:
            pickle.dump(value, handle, protocol=protocol)


# ---------------------------------------------------------------------------------------------------------------------
# The official loader's operations, on the files as written


def official_split(root, name, split):
    """What MSE-Adapter's MMDataset holds for one split (data/load_data.py), with MMSA's np.array() around the labels."""
    if name in ("meld", "cherma"):
        mapping = {c: i for i, c in enumerate(MELD_CLASSES if name == "meld" else CHERMA_CLASSES)}
        with open(os.path.join(root, LAYOUT[name][SPLITS.index(split)]), "rb") as handle:
            data = pickle.load(handle)
        vision = np.array([item["features"]["video"] for item in data]).astype(np.float32)
        audio = np.array([item["features"]["audio"] for item in data]).astype(np.float32)
        raw_text = np.array([item["features"]["text"] for item in data])
        labels = [mapping.get(item["label"], -1) for item in data]
        audio_lengths = np.array([item["features"]["audio_len"] for item in data])
        vision_lengths = np.array([item["features"]["video_len"] for item in data])
        return dict(audio=audio, vision=vision, texts=[str(t) for t in raw_text], ids=None, labels=labels,
                    audio_lengths=audio_lengths, vision_lengths=vision_lengths)
    with open(os.path.join(root, LAYOUT[name][0]), "rb") as handle:
        data = pickle.load(handle)
    vision = data[split]["vision"].astype(np.float32)
    audio = data[split]["audio"].astype(np.float32)
    labels = np.array(data[split]["regression_labels"]).astype(np.float32)
    audio[audio == -np.inf] = 0
    vision[vision != vision] = 0
    return dict(audio=audio, vision=vision, texts=[str(t) for t in data[split]["raw_text"]],
                ids=[str(t) for t in data[split]["id"]], labels=labels,
                audio_lengths=np.array(data[split]["audio_lengths"]),
                vision_lengths=np.array(data[split]["vision_lengths"]))


def number(value):
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def probes(name, split, loaded):
    """(modality, sample, flat index, value): every planted place, and fixed places in sample 1 that a transposed
    (Fortran) read or a wrong row stride would get wrong."""
    places = [(m, s, f) for (d, sp, m, s, f) in PLANTED if d == name and sp == split]
    for modality in ("audio", "vision"):
        _, steps, width = loaded[modality].shape
        for flat in (0, 1, width, width + 1, steps * width - 1):
            places.append((modality, 1, flat))
    return [[m, s, f, number(loaded[m][s].reshape(-1)[f])] for (m, s, f) in places]


def expected(root, name):
    summary = {"dataset": name, "splits": {}}
    samples = {}
    for split in SPLITS:
        loaded = official_split(root, name, split)
        labels = loaded["labels"]
        if name in ("meld", "cherma"):
            label_summary = {"counts": {str(c): int(sum(1 for v in labels if v == c)) for c in range(7)}}
            label_values = [int(v) for v in labels]
        else:
            label_summary = {"min": float(labels.min()), "max": float(labels.max()),
                             "mean": float(labels.astype(np.float64).mean())}
            label_values = [float(v) for v in labels]
        summary["splits"][split] = {
            "n": len(labels),
            "audio_shape": list(loaded["audio"].shape),
            "vision_shape": list(loaded["vision"].shape),
            "audio_lengths_sum": int(loaded["audio_lengths"].sum()),
            "vision_lengths_sum": int(loaded["vision_lengths"].sum()),
            "labels": label_summary,
            "audio_sum": number(loaded["audio"].astype(np.float64).sum()),
            "vision_sum": number(loaded["vision"].astype(np.float64).sum()),
        }
        samples[split] = {
            "texts": loaded["texts"],
            "ids": loaded["ids"],
            "labels": label_values,
            "audio_lengths": [int(v) for v in loaded["audio_lengths"]],
            "vision_lengths": [int(v) for v in loaded["vision_lengths"]],
            "audio_sample_sums": [number(s.astype(np.float64).sum()) for s in loaded["audio"]],
            "vision_sample_sums": [number(s.astype(np.float64).sum()) for s in loaded["vision"]],
            "probes": probes(name, split, loaded),
        }
    return summary, samples


# ---------------------------------------------------------------------------------------------------------------------
# Bad cases: one data root each, named after the case (the C# tests know what each must say)


class Payload:
    """What a malicious dataset file would carry: unpickling calls os.system (posix.system) with a command that leaves
    a marker file behind. A safe reader refuses the global before anything runs."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {shlex.quote(self.marker)}",))


def bad_cases(out, good):
    bad = os.path.join(out, "bad")

    def root(case):
        path = os.path.join(bad, case)
        os.makedirs(path, exist_ok=True)
        return path

    # MELD without its valid file.
    write(root("missing_file"), "meld", good["meld"], files=[LAYOUT["meld"][0], LAYOUT["meld"][2]])

    # MOSEI under the Hugging Face repo's folder name instead of the config's.
    hf = root("hf_folder_name")
    write(hf, "mosei", good["mosei"])
    os.rename(os.path.join(hf, "MOSEI"), os.path.join(hf, "MOSEI_processed"))

    # MOSEI whose splits are train/dev/test.
    data = dict(good["mosei"])
    data["dev"] = data.pop("valid")
    write(root("missing_split"), "mosei", data)

    # MOSEI cut short, as an interrupted download leaves it.
    path = os.path.join(root("truncated"), LAYOUT["mosei"][0])
    write(root("truncated"), "mosei", good["mosei"])
    size = os.path.getsize(path)
    with open(path, "r+b") as handle:
        handle.truncate(size // 2)

    # MOSEI whose train vision has one sample fewer than its labels.
    data = copy.deepcopy(good["mosei"])
    data["train"]["vision"] = data["train"]["vision"][:-1]
    write(root("mismatched_n"), "mosei", data)

    # SIMS-V2 whose valid split has no id.
    data = copy.deepcopy(good["simsv2"])
    del data["valid"]["id"]
    write(root("missing_id"), "simsv2", data)

    # MELD test item 3 with 4 audio frames instead of 5.
    data = copy.deepcopy(good["meld"])
    data["test"][3]["features"]["audio"] = np.zeros((4, 64), dtype=np.float32)
    write(root("ragged"), "meld", data)

    # MOSEI valid sample 2 with vision length 0.
    data = copy.deepcopy(good["mosei"])
    data["valid"]["vision_lengths"][2] = 0
    write(root("length_zero"), "mosei", data)

    # MELD train item 4 with audio_len T + 1.
    data = copy.deepcopy(good["meld"])
    data["train"][4]["features"]["audio_len"] = 6
    write(root("length_over"), "meld", data)

    # SIMS-V2 with 24-wide audio (the configuration says 25).
    data = copy.deepcopy(good["simsv2"])
    for split in SPLITS:
        data[split]["audio"] = data[split]["audio"][:, :, :24]
    write(root("wrong_width"), "simsv2", data)

    # CHERMA train item 0 with 2000-wide video (the configuration says 2048).
    data = copy.deepcopy(good["cherma"])
    data["train"][0]["features"]["video"] = data["train"][0]["features"]["video"][:, :2000]
    write(root("wrong_width_erc"), "cherma", data)

    # MELD valid item 2 labelled 'Joy' (the official mapping is lower case: it would become -1).
    data = copy.deepcopy(good["meld"])
    data["valid"][2]["label"] = "Joy"
    write(root("unknown_label"), "meld", data)

    # MELD train item 1 without video_len.
    data = copy.deepcopy(good["meld"])
    del data["train"][1]["features"]["video_len"]
    write(root("missing_feature"), "meld", data)

    # MOSI test label 3 NaN.
    data = copy.deepcopy(good["mosi"])
    data["test"]["regression_labels"][3] = float("nan")
    write(root("nan_label"), "mosi", data)

    # SIMS train raw_text 1 None.
    data = copy.deepcopy(good["sims"])
    data["train"]["raw_text"][1] = None
    write(root("text_not_string"), "sims", data)

    # MOSEI whose file is a list (an ERC file at MOSEI's path).
    write(root("not_a_dict"), "mosei", good["meld"]["train"])

    # MOSEI carrying a payload after the arrays; the marker it would create is OUT/bad/malicious/PWNED.
    case = root("malicious")
    data = copy.deepcopy(good["mosei"])
    data["train"]["annotations_extra"] = Payload(os.path.join(case, "PWNED"))
    write(case, "mosei", data)


def main():
    out = sys.argv[1]
    good = {"mosei": mosei(), "simsv2": simsv2(), "meld": meld(), "cherma": cherma(), "mosi": mosi(), "sims": sims()}
    good_root = os.path.join(out, "good")
    for name, data in good.items():
        write(good_root, name, data)
    bad_cases(out, good)
    result = {"summaries": {}, "samples": {}}
    for name in good:
        result["summaries"][name], result["samples"][name] = expected(good_root, name)
    with open(os.path.join(out, "expected.json"), "w") as handle:
        json.dump(result, handle, indent=1)


if __name__ == "__main__":
    main()
