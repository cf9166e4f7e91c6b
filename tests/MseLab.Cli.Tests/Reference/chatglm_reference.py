"""Independent PyTorch implementation of THUDM's ChatGLM3 forward pass (remote modeling_chatglm.py of
chatglm3-6b-base, ChatGLMForConditionalGeneration), for checking mselab.

Follows the remote code's structure: activations in [seq, batch, hidden] layout, the fused query_key_value split
(multi-query [q | k | v] or per-head [q_h | k_h | v_h]), the rotary cache built by forward_impl for seq_length
positions in the dtype of inv_freq (config.torch_dtype: the cos/sin table is rounded to half precision when that is
float16 or bfloat16), apply_rotary_pos_emb on the first half of each head, the torch < 2 CoreAttention path
(scores * 1/(sqrt(d)*layer), then * layer), GLMBlock residuals, and a key/value cache concatenated along the
sequence with position ids continued by one per step. Reads config.json and model.safetensors (or the sharded index)
with numpy (no transformers, no safetensors package); weights are run in float32.

usage: chatglm_reference.py MODEL_DIR 1,2,3            prints {"logits": [[...], ...]}, one row per position
       chatglm_reference.py MODEL_DIR 1,2,3;4,5,6 N    greedy generation of N tokens with the cache (rows of equal
                                                       length form a batch), prints {"ids": [[...], ...]}
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

from safetensors_numpy import load_weights

TORCH_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}


class Config:
    """The remote ChatGLMConfig's defaults, overridden by config.json."""

    def __init__(self, raw):
        defaults = dict(num_layers=28, padded_vocab_size=65024, hidden_size=4096, ffn_hidden_size=13696,
                        kv_channels=128, num_attention_heads=32, seq_length=2048, layernorm_epsilon=1e-5,
                        rmsnorm=True, apply_residual_connection_post_layernorm=False, post_layer_norm=True,
                        add_bias_linear=False, add_qkv_bias=False, multi_query_attention=False,
                        multi_query_group_num=1, apply_query_key_layer_scaling=True,
                        attention_softmax_in_fp32=True, rope_ratio=1, torch_dtype=None)
        defaults.update(raw)
        self.__dict__.update(defaults)


def linear(x, w, prefix):
    y = x @ w[prefix + ".weight"].T
    if prefix + ".bias" in w:
        y = y + w[prefix + ".bias"]
    return y


def norm(cfg, w, prefix, x):
    if cfg.rmsnorm:
        input_dtype = x.dtype
        variance = x.to(torch.float32).pow(2).mean(-1, keepdim=True)
        x = x * torch.rsqrt(variance + cfg.layernorm_epsilon)
        return (w[prefix + ".weight"] * x).to(input_dtype)
    return F.layer_norm(x, (cfg.hidden_size,), w[prefix + ".weight"], w[prefix + ".bias"], cfg.layernorm_epsilon)


def rotary_cache(cfg):
    """RotaryEmbedding(kv_channels // 2, dtype=config.torch_dtype)(seq_length)."""
    dim = cfg.kv_channels // 2
    inv_freq_dtype = TORCH_DTYPES.get(cfg.torch_dtype, torch.float32)
    inv_freq = 1.0 / (10000 ** (torch.arange(0, dim, 2).to(dtype=inv_freq_dtype) / dim))
    base = 10000 * cfg.rope_ratio
    theta = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float) / dim))
    seq_idx = torch.arange(cfg.seq_length, dtype=torch.float)
    idx_theta = torch.outer(seq_idx, theta).float()
    cache = torch.stack([torch.cos(idx_theta), torch.sin(idx_theta)], dim=-1)
    if inv_freq.dtype in (torch.float16, torch.bfloat16):
        cache = cache.bfloat16() if inv_freq.dtype == torch.bfloat16 else cache.half()
    return cache  # [seq_length, dim/2, 2]


def apply_rotary(x, rope_cache):
    # x: [sq, b, np, hn]; rope_cache: [sq, b, hn/4, 2]
    sq, np_ = x.size(0), x.size(2)
    rot_dim = rope_cache.shape[-2] * 2
    x, x_pass = x[..., :rot_dim], x[..., rot_dim:]
    xshaped = x.reshape(sq, -1, np_, rot_dim // 2, 2)
    rope_cache = rope_cache.view(sq, -1, 1, xshaped.size(3), 2)
    out = torch.stack([
        xshaped[..., 0] * rope_cache[..., 0] - xshaped[..., 1] * rope_cache[..., 1],
        xshaped[..., 1] * rope_cache[..., 0] + xshaped[..., 0] * rope_cache[..., 1],
    ], -1).flatten(3)
    return torch.cat((out, x_pass), dim=-1)


def self_attention(cfg, w, prefix, layer_number, h, rope, kv_cache):
    sq, b = h.shape[0], h.shape[1]
    np_, hn = cfg.num_attention_heads, cfg.kv_channels
    mixed = linear(h, w, prefix + ".query_key_value")
    if cfg.multi_query_attention:
        g = cfg.multi_query_group_num
        q, k, v = mixed.split([np_ * hn, g * hn, g * hn], dim=-1)
        q = q.view(sq, b, np_, hn)
        k = k.view(sq, b, g, hn)
        v = v.view(sq, b, g, hn)
    else:
        q, k, v = torch.split(mixed.view(sq, b, np_, 3 * hn), hn, dim=-1)
    q = apply_rotary(q, rope)
    k = apply_rotary(k, rope)
    if kv_cache is not None:
        k = torch.cat((kv_cache[0], k), dim=0)
        v = torch.cat((kv_cache[1], v), dim=0)
    new_cache = (k, v)
    if cfg.multi_query_attention:
        g = cfg.multi_query_group_num
        k = k.unsqueeze(-2).expand(-1, -1, -1, np_ // g, -1).contiguous().view(k.size()[:2] + (np_, hn))
        v = v.unsqueeze(-2).expand(-1, -1, -1, np_ // g, -1).contiguous().view(v.size()[:2] + (np_, hn))

    # CoreAttention, torch < 2 path.
    sk = k.size(0)
    coeff = layer_number if cfg.apply_query_key_layer_scaling else None
    norm_factor = math.sqrt(hn) * (coeff if coeff is not None else 1)
    q3 = q.reshape(sq, b * np_, hn).transpose(0, 1)
    k3 = k.reshape(sk, b * np_, hn).transpose(0, 1).transpose(1, 2)
    # The remote code's baddbmm(empty, q, k, beta=0, alpha=1/norm_factor) is alpha * (q @ k). Debian's torch 1.13
    # build returns wrong values from baddbmm now and then (seen in about 1 call in 60 on these shapes), so the
    # product and the scaling are written apart.
    scores = torch.bmm(q3, k3) * (1.0 / norm_factor)
    scores = scores.view(b, np_, sq, sk)
    if cfg.attention_softmax_in_fp32:
        scores = scores.float()
    if coeff is not None:
        scores = scores * coeff
    if sq > 1:
        # The remote code's get_masks: ones over the past, lower triangle over the new positions.
        allowed = torch.cat((torch.ones(sq, sk - sq), torch.ones(sq, sq).tril()), dim=-1)
        scores = scores.masked_fill(allowed < 0.5, float("-inf"))
    probs = F.softmax(scores, dim=-1).type_as(v)
    v3 = v.reshape(sk, b * np_, hn).transpose(0, 1)
    context = torch.bmm(probs.view(b * np_, sq, sk), v3).view(b, np_, sq, hn)
    context = context.permute(2, 0, 1, 3).reshape(sq, b, np_ * hn)
    return linear(context, w, prefix + ".dense"), new_cache


def forward(cfg, w, ids, position_ids, caches):
    """ids, position_ids: [b, sq]. Returns logits [b, sq, V] and the new caches."""
    rope = rotary_cache(cfg)[position_ids].transpose(0, 1).contiguous()  # [sq, b, hn/4, 2]
    x = w["transformer.embedding.word_embeddings.weight"][ids].transpose(0, 1)  # [sq, b, h]
    new_caches = []
    for i in range(cfg.num_layers):
        p = f"transformer.encoder.layers.{i}"
        ln = norm(cfg, w, p + ".input_layernorm", x)
        attn, cache = self_attention(cfg, w, p + ".self_attention", i + 1, ln, rope, caches[i] if caches else None)
        new_caches.append(cache)
        residual = ln if cfg.apply_residual_connection_post_layernorm else x
        ln_input = residual + attn
        ln_out = norm(cfg, w, p + ".post_attention_layernorm", ln_input)
        up = linear(ln_out, w, p + ".mlp.dense_h_to_4h")
        gate, value = torch.chunk(up, 2, dim=-1)
        mlp = linear(F.silu(gate) * value, w, p + ".mlp.dense_4h_to_h")
        residual = ln_out if cfg.apply_residual_connection_post_layernorm else ln_input
        x = residual + mlp
    if cfg.post_layer_norm:
        x = norm(cfg, w, "transformer.encoder.final_layernorm", x)
    logits = x @ w["transformer.output_layer.weight"].T
    return logits.transpose(0, 1).contiguous(), new_caches


def main():
    model_dir, ids_text = sys.argv[1], sys.argv[2]
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = Config(json.load(f))
    w = load_weights(model_dir)
    rows = [[int(s) for s in row.split(",")] for row in ids_text.split(";")]
    ids = torch.tensor(rows)
    positions = torch.arange(ids.shape[1]).unsqueeze(0).repeat(ids.shape[0], 1)
    with torch.no_grad():
        if len(sys.argv) < 4:
            logits, _ = forward(cfg, w, ids, positions, None)
            json.dump({"logits": logits[0].tolist()}, sys.stdout)
            return
        generated = []
        logits, caches = forward(cfg, w, ids, positions, None)
        for step in range(int(sys.argv[3])):
            nxt = logits[:, -1].argmax(-1)  # [b]
            generated.append(nxt)
            if step + 1 < int(sys.argv[3]):
                positions = positions[:, -1:] + 1
                logits, caches = forward(cfg, w, nxt.unsqueeze(1), positions, caches)
        json.dump({"ids": torch.stack(generated, dim=1).tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
