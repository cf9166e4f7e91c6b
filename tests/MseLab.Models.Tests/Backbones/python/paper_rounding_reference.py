"""Reference for precision 'paper': the official from_pretrained(torch_dtype=torch.bfloat16).half().

Reads every tensor of a safetensors file with numpy (stored as F32, F16 or BF16), converts it with PyTorch as the
official loading does, w.to(torch.bfloat16).to(torch.float16), and prints the fp16 bit patterns as JSON:
{"name": [uint16, ...]} in row-major order. Request on stdin: {"file": "/path/model.safetensors"}.
"""
import json
import struct
import sys

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        shape = info["shape"]
        if info["dtype"] == "F32":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f4").copy())
        elif info["dtype"] == "F16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f2").copy())
        elif info["dtype"] == "BF16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<i2").copy()).view(torch.bfloat16)
        else:
            raise SystemExit(f"{path}: tensor {name} has dtype {info['dtype']}; the reference reads F32, F16 and BF16")
        tensors[name] = t.reshape(shape)
    return tensors


def main():
    request = json.load(sys.stdin)
    out = {}
    for name, w in read_safetensors(request["file"]).items():
        rounded = w.to(torch.bfloat16).to(torch.float16)
        out[name] = rounded.reshape(-1).view(torch.int16).numpy().astype(np.uint16).tolist()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
