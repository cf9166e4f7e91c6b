"""torch.optim.AdamW on the parameters and gradients in a JSON file; prints the parameters after each step.

usage: adamw_reference.py INPUT.json  (keys: params [[...]], grads [[[...]]] per step and tensor, lrs, eps, weight_decay)
"""
import json
import sys

import torch

spec = json.load(open(sys.argv[1]))
params = [torch.tensor(p, dtype=torch.float32, requires_grad=True) for p in spec["params"]]
opt = torch.optim.AdamW(params, lr=spec["lrs"][0], eps=spec["eps"], weight_decay=spec["weight_decay"])
history = []
for step, lr in enumerate(spec["lrs"]):
    for group in opt.param_groups:
        group["lr"] = lr
    for p, g in zip(params, spec["grads"][step]):
        p.grad = torch.tensor(g, dtype=torch.float32)
    opt.step()
    history.append([p.detach().tolist() for p in params])
json.dump(history, sys.stdout)
