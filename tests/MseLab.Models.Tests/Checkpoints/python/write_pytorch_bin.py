"""Writes a model folder's model.safetensors as the original-release PyTorch format, with torch.save of a state dict.

Usage: write_pytorch_bin.py MODEL_DIR DTYPE SHARDS [SCALE]
  DTYPE: F32, F16 or BF16 (the stored dtype); SHARDS: 1 writes pytorch_model.bin, N > 1 writes
  pytorch_model-0000i-of-0000N.bin plus pytorch_model.bin.index.json, as transformers' save_pretrained does.
  SCALE multiplies every tensor (to tell the formats apart when both are present).
The safetensors file is read with numpy only; the C# side is not involved.
"""
import json
import os
import struct
import sys
from collections import OrderedDict

import numpy as np
import torch

model_dir, dtype, shards = sys.argv[1], sys.argv[2], int(sys.argv[3])
scale = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0

with open(os.path.join(model_dir, "model.safetensors"), "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
    data = f.read()

state = OrderedDict()
for name, meta in sorted(header.items()):
    if name == "__metadata__":
        continue
    assert meta["dtype"] == "F32", "write the source checkpoint in F32"
    begin, end = meta["data_offsets"]
    array = np.frombuffer(data[begin:end], dtype=np.float32).reshape(meta["shape"]) * np.float32(scale)
    torch_dtype = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[dtype]
    state[name] = torch.from_numpy(array.copy()).to(torch_dtype)

if shards == 1:
    torch.save(state, os.path.join(model_dir, "pytorch_model.bin"))
else:
    names = list(state)
    per = (len(names) + shards - 1) // shards
    weight_map = {}
    for i in range(shards):
        file = f"pytorch_model-{i + 1:05d}-of-{shards:05d}.bin"
        part = OrderedDict((k, state[k]) for k in names[i * per:(i + 1) * per])
        torch.save(part, os.path.join(model_dir, file))
        weight_map.update({k: file for k in part})
    with open(os.path.join(model_dir, "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f)
print(json.dumps({"tensors": len(state)}))
