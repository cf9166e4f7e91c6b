"""Independent PyTorch implementation of Qwen-1's QWenLMHeadModel (the remote modeling_qwen.py), for checking mselab.

Follows the remote code's inference path on CPU with torch < 2 (hand-written attention): c_attn split into q|k|v,
half-split rotary on the first kv_channels*rotary_pct dims in float32, dynamic NTK (alpha chosen from the key length
at prefill and kept on the rotary object for the decoded tokens, as rotary_emb._ntk_alpha_cached_list), logn scaling
of the query by the key length, causal mask only when query and key lengths agree, SwiGLU with the gate on w2.
Weights are read with numpy (safetensors_numpy.load_weights) and run in float32.

usage: qwen_reference.py MODEL_DIR 1,2,3               prints {"logits": [[...], ...]}, one row per position
       qwen_reference.py MODEL_DIR 1,2,3 --generate N  prints {"ids": [...]}, N greedy tokens with the KV cache
"""
import json
import math
import os
import sys

import torch

from safetensors_numpy import load_weights


class Rotary:
    """RotaryEmbedding of the remote code: the table is rebuilt when the length grows or alpha changes."""

    def __init__(self, dim, base):
        self.dim = dim
        self.base = base
        self.seq_len_cached = 0
        self.alpha_cached = 1.0
        self.alpha_cached_list = [1.0]
        self.table = None

    def __call__(self, max_seq_len, ntk_alpha):
        if max_seq_len > self.seq_len_cached or ntk_alpha != self.alpha_cached:
            base = self.base * ntk_alpha ** (self.dim / (self.dim - 2))
            inv_freq = 1.0 / (base ** (torch.arange(0, self.dim, 2).float() / self.dim))
            self.seq_len_cached = max(2 * max_seq_len, 16)
            self.alpha_cached = ntk_alpha
            seq = torch.arange(self.seq_len_cached).type_as(inv_freq)
            freqs = torch.outer(seq, inv_freq)
            emb = torch.cat((freqs, freqs), dim=-1)[None, :, None, :]  # (1, n, 1, dim)
            self.table = (emb.cos(), emb.sin())
        cos, sin = self.table
        return cos[:, :max_seq_len], sin[:, :max_seq_len]


def rms_norm(x, weight, eps):
    normed = x.float() * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + eps)
    return normed.type_as(x) * weight


def rotate(t, cos, sin):
    rot = cos.shape[-1]
    part, rest = t[..., :rot].float(), t[..., rot:].float()
    first, second = part[..., : rot // 2], part[..., rot // 2:]
    rotated = torch.cat((-second, first), dim=-1)
    return torch.cat((part * cos + rotated * sin, rest), dim=-1).type_as(t)


def linear(x, w, name):
    y = x @ w[name + ".weight"].T
    return y + w[name + ".bias"] if name + ".bias" in w else y


class QWen:
    def __init__(self, cfg, w):
        self.cfg = cfg
        self.w = w
        self.hidden = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.head_dim = self.hidden // self.heads
        self.seq_length = cfg["seq_length"]
        self.eps = cfg.get("layer_norm_epsilon", 1e-6)
        self.ntk = cfg.get("use_dynamic_ntk", True)
        self.logn = cfg.get("use_logn_attn", True)
        self.scale = cfg.get("scale_attn_weights", True)
        kv_channels = cfg.get("kv_channels", 128)
        pct = cfg.get("rotary_pct", 1.0)
        dim = kv_channels if pct == 1.0 else int(kv_channels * pct)
        self.rotary = Rotary(dim, cfg.get("rotary_emb_base", 10000))
        logn = [math.log(i, self.seq_length) if i > self.seq_length else 1 for i in range(1, 32768)]
        self.logn_tensor = torch.tensor(logn)[None, :, None, None]

    def ntk_alpha(self, true_seq_len):
        context_value = math.log(true_seq_len / self.seq_length, 2) + 1
        return max(2 ** math.ceil(context_value) - 1, 1)

    def attention(self, p, x, cos, sin, layer_past):
        b, t, _ = x.shape
        query, key, value = linear(x, self.w, p + "c_attn").split(self.hidden, dim=2)
        query = query.view(b, t, self.heads, self.head_dim)  # (B, T, nh, hd)
        key = key.view(b, t, self.heads, self.head_dim)
        value = value.view(b, t, self.heads, self.head_dim)
        query, key = rotate(query, cos, sin), rotate(key, cos, sin)
        if layer_past is not None:
            key = torch.cat((layer_past[0], key), dim=1)
            value = torch.cat((layer_past[1], value), dim=1)
        present = (key, value)
        if self.logn:
            start, end = key.size(1) - query.size(1), key.size(1)
            query = query * self.logn_tensor[:, start:end].type_as(query).expand_as(query)
        key_size = key.size(1)
        causal = torch.tril(torch.ones((key_size, key_size), dtype=torch.bool)).view(1, 1, key_size, key_size) \
            if query.size(1) == key_size else None
        query, key, value = query.permute(0, 2, 1, 3), key.permute(0, 2, 1, 3), value.permute(0, 2, 1, 3)
        scores = torch.matmul(query, key.transpose(-1, -2))
        if self.scale:
            scores = scores / (value.size(-1) ** 0.5)
        if causal is not None:
            scores = torch.where(causal, scores, torch.full([], torch.finfo(scores.dtype).min, dtype=scores.dtype))
        if self.cfg.get("softmax_in_fp32", False):
            probs = torch.softmax(scores.float(), dim=-1).type(query.dtype)
        else:
            probs = torch.softmax(scores, dim=-1)
        out = torch.matmul(probs, value).transpose(1, 2).contiguous().view(b, t, self.hidden)
        return linear(out, self.w, p + "c_proj"), present

    def forward(self, ids, past=None):
        w = self.w
        x = w["transformer.wte.weight"][torch.tensor(ids)][None]  # (1, T, H)
        t = x.size(1)
        kv_seq_len = t + (past[0][0].shape[1] if past is not None else 0)
        if not self.ntk:
            alphas = [1.0]
        elif kv_seq_len != t:
            alphas = self.rotary.alpha_cached_list  # decoding: the prefill's alpha
        else:
            alphas = [self.ntk_alpha(kv_seq_len)]
        self.rotary.alpha_cached_list = alphas
        cos, sin = self.rotary(kv_seq_len, alphas[0])
        cos, sin = cos[:, -t:], sin[:, -t:]

        presents = []
        for i in range(self.cfg["num_hidden_layers"]):
            p = f"transformer.h.{i}."
            attn, present = self.attention(p + "attn.", rms_norm(x, w[p + "ln_1.weight"], self.eps), cos, sin,
                                           past[i] if past is not None else None)
            presents.append(present)
            x = x + attn
            h = rms_norm(x, w[p + "ln_2.weight"], self.eps)
            gated = linear(h, w, p + "mlp.w1") * torch.nn.functional.silu(linear(h, w, p + "mlp.w2"))
            x = x + linear(gated, w, p + "mlp.c_proj")

        x = rms_norm(x, w["transformer.ln_f.weight"], self.eps)
        head = w["transformer.wte.weight"] if self.cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
        return (x @ head.T)[0], presents


def main():
    model_dir, ids_text = sys.argv[1], sys.argv[2]
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    ids = [int(s) for s in ids_text.split(",")]
    model = QWen(cfg, load_weights(model_dir))
    with torch.no_grad():
        if len(sys.argv) > 4 and sys.argv[3] == "--generate":
            logits, past = model.forward(ids)
            generated = [int(logits[-1].argmax())]
            for _ in range(int(sys.argv[4]) - 1):
                logits, past = model.forward([generated[-1]], past)
                generated.append(int(logits[-1].argmax()))
            json.dump({"ids": generated}, sys.stdout)
        else:
            logits, _ = model.forward(ids)
            json.dump({"logits": logits.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
