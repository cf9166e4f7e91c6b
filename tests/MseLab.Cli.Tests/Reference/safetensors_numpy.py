"""Reads safetensors files with numpy (no safetensors package, no transformers), for the reference scripts.

read_tensors keeps each tensor in its stored dtype (F32, F16, F64 or BF16); read_float32 and load_weights convert
every tensor to float32 (exact for F16 and BF16). The scripts import it from their own folder: the test projects copy
this file next to each of them.
"""
import json
import os
import struct

import numpy as np
import torch

# Little-endian, as the format stores them; BF16 is read as int16 and viewed as bfloat16.
NUMPY_DTYPES = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "BF16": "<i2"}


def read_tensors(path):
    """{name: tensor} of one safetensors file, each tensor in its stored dtype."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        dtype = meta["dtype"]
        if dtype not in NUMPY_DTYPES:
            raise SystemExit(f"{path}: tensor {name} has dtype {dtype}; the reference reads F32, F16, F64 and BF16")
        begin, end = meta["data_offsets"]
        t = torch.from_numpy(np.frombuffer(data[begin:end], dtype=NUMPY_DTYPES[dtype]).copy())
        if dtype == "BF16":
            t = t.view(torch.bfloat16)
        tensors[name] = t.reshape(meta["shape"])
    return tensors


def read_float32(path):
    """{name: float32 tensor} of one safetensors file."""
    return {name: t.float() for name, t in read_tensors(path).items()}


def load_weights(model_dir):
    """float32 weights of a model directory: model.safetensors, or the shards of model.safetensors.index.json."""
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        return read_float32(single)
    with open(os.path.join(model_dir, "model.safetensors.index.json")) as f:
        shards = sorted(set(json.load(f)["weight_map"].values()))
    weights = {}
    for shard in shards:
        weights.update(read_float32(os.path.join(model_dir, shard)))
    return weights
