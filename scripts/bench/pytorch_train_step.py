"""PyTorch timing of the same frozen LLaMA work that `mselab bench train` measures, for comparison.

Builds a randomly initialised LLaMA of the given shape (written here, not transformers), freezes it, and times
  forward:        no-grad forward of a (B, S) embedded batch, logits only at the label positions;
  backbone step:  forward + backward where only the P pseudo-token embeddings require a gradient.
Prints {"forward_ms": ..., "backbone_step_ms": ...} (medians). Uses Debian's python3-torch.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F


class Block(torch.nn.Module):
    def __init__(self, d, inter, heads, kv):
        super().__init__()
        self.heads, self.kv, self.hd = heads, kv, d // heads
        self.q = torch.nn.Linear(d, heads * self.hd, bias=False)
        self.k = torch.nn.Linear(d, kv * self.hd, bias=False)
        self.v = torch.nn.Linear(d, kv * self.hd, bias=False)
        self.o = torch.nn.Linear(heads * self.hd, d, bias=False)
        self.gate = torch.nn.Linear(d, inter, bias=False)
        self.up = torch.nn.Linear(d, inter, bias=False)
        self.down = torch.nn.Linear(inter, d, bias=False)
        self.n1 = torch.nn.Parameter(torch.ones(d))
        self.n2 = torch.nn.Parameter(torch.ones(d))

    @staticmethod
    def norm(x, w):
        return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6))

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        h = self.norm(x, self.n1)
        q = self.q(h).view(b, t, self.heads, self.hd).transpose(1, 2)
        k = self.k(h).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v(h).view(b, t, self.kv, self.hd).transpose(1, 2)
        half = self.hd // 2
        rot = lambda z: torch.cat((-z[..., half:], z[..., :half]), -1)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        k = k.repeat_interleave(self.heads // self.kv, 1)
        v = v.repeat_interleave(self.heads // self.kv, 1)
        att = torch.softmax(q @ k.transpose(-1, -2) / self.hd ** 0.5 + mask, -1) @ v
        x = x + self.o(att.transpose(1, 2).reshape(b, t, -1))
        h = self.norm(x, self.n2)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


def main():
    p = argparse.ArgumentParser()
    for name in ["hidden", "intermediate", "layers", "heads", "kv_heads", "vocab", "batch", "seq", "prefix", "pseudo", "labels", "iterations", "threads"]:
        p.add_argument("--" + name.replace("_", "-"), type=int, required=True)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    embed = torch.nn.Embedding(a.vocab, a.hidden)
    blocks = torch.nn.ModuleList(Block(a.hidden, a.intermediate, a.heads, a.kv_heads) for _ in range(a.layers))
    norm = torch.nn.Parameter(torch.ones(a.hidden))
    head = torch.nn.Linear(a.hidden, a.vocab, bias=False)
    for module in [embed, blocks, head]:
        for param in module.parameters():
            param.requires_grad_(False)
    norm.requires_grad_(False)

    hd = a.hidden // a.heads
    inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
    ang = torch.outer(torch.arange(a.seq).float(), inv)
    cos, sin = torch.cat((ang, ang), -1).cos(), torch.cat((ang, ang), -1).sin()
    mask = torch.full((a.seq, a.seq), float("-inf")).triu(1)
    ids = torch.randint(3, a.vocab, (a.batch, a.seq))
    pseudo = torch.randn(a.batch, a.pseudo, a.hidden)
    targets = torch.randint(3, a.vocab, (a.batch, a.labels))
    ctx = a.seq - a.labels

    def run(pseudo_in):
        x = embed(ids)
        x = torch.cat((x[:, :a.prefix], pseudo_in, x[:, a.prefix + a.pseudo:]), 1)
        for block in blocks:
            x = block(x, cos, sin, mask)
        x = Block.norm(x[:, ctx - 1:], norm)
        return head(x)

    def measure(step):
        for _ in range(2):
            step()
        times = []
        for _ in range(a.iterations):
            start = time.perf_counter()
            step()
            times.append((time.perf_counter() - start) * 1000)
        return sorted(times)[len(times) // 2]

    def forward():
        with torch.no_grad():
            run(pseudo).sum().item()

    def backbone_step():
        leaf = pseudo.clone().requires_grad_(True)
        logits = run(leaf)
        F.cross_entropy(logits[:, :a.labels].reshape(-1, a.vocab), targets.reshape(-1)).backward()

    print(json.dumps({"forward_ms": measure(forward), "backbone_step_ms": measure(backbone_step), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
