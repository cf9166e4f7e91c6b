"""Reference for precision 'paper': the official from_pretrained(torch_dtype=torch.bfloat16).half().

Reads every tensor of a safetensors file with numpy (safetensors_numpy.read_tensors: stored as F32, F16, F64 or
BF16), converts it with PyTorch as the official loading does, w.to(torch.bfloat16).to(torch.float16), and prints
the fp16 bit patterns as JSON: {"name": [uint16, ...]} in row-major order. Request on stdin: {"file": "/path/model.safetensors"}.
"""
import json
import sys

import numpy as np
import torch

from safetensors_numpy import read_tensors


def main():
    request = json.load(sys.stdin)
    out = {}
    for name, w in read_tensors(request["file"]).items():
        rounded = w.to(torch.bfloat16).to(torch.float16)
        out[name] = rounded.reshape(-1).view(torch.int16).numpy().astype(np.uint16).tolist()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
