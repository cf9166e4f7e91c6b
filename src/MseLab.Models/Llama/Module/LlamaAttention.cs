using MseLab.Models.Backbones;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Llama.Module;

/// <summary>
/// Causal self-attention with grouped-query heads and rotary embeddings (HF LlamaAttention). With a cache, the new
/// positions attend to every cached position and causally among themselves.
/// </summary>
public sealed class LlamaAttention : nn.Module<AttentionInput, Tensor>
{
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    [ComponentName(Name = "q_proj")] private readonly Linear _qProj;
    [ComponentName(Name = "k_proj")] private readonly Linear _kProj;
    [ComponentName(Name = "v_proj")] private readonly Linear _vProj;
    [ComponentName(Name = "o_proj")] private readonly Linear _oProj;

    public LlamaAttention(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaAttention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.KeyValueHeads;
        _headDim = config.HeadDim;
        _qProj = nn.Linear(config.HiddenSize, _heads * _headDim, hasBias: config.AttentionBias, device: device, dtype: dtype);
        _kProj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: config.AttentionBias, device: device, dtype: dtype);
        _vProj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: config.AttentionBias, device: device, dtype: dtype);
        _oProj = nn.Linear(_heads * _headDim, config.HiddenSize, hasBias: config.AttentionBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(AttentionInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.HiddenStates;
        long b = x.shape[0], t = x.shape[1];

        var q = _qProj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);    // (B, nh, T, hd)
        var k = _kProj.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);  // (B, nkv, T, hd)
        var v = _vProj.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);  // (B, nkv, T, hd)
        q = LlamaRotaryEmbedding.Apply(q, input.Cos, input.Sin);
        k = LlamaRotaryEmbedding.Apply(k, input.Cos, input.Sin);

        var past = input.Cache?.LengthOf(input.LayerIndex) ?? 0;
        if (input.Cache is not null)
        {
            (k, v) = input.Cache.Append(input.LayerIndex, k, v);                    // (B, nkv, past+T, hd)
        }

        if (_kvHeads != _heads)
        {
            // Query head i reads KV head i / (nh / nkv), as HF's repeat_kv does.
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }

        Tensor attended;
        if (past == 0)
        {
            attended = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: t > 1);
        }
        else
        {
            // New position i (absolute past+i) may see keys 0..past+i.
            var mask = ones(t, past + t, dtype: ScalarType.Bool, device: q.device).tril(diagonal: past);
            attended = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        }

        var merged = attended.transpose(1, 2).contiguous().view(b, t, _heads * _headDim);  // (B, T, nh*hd)
        return _oProj.forward(merged).MoveToOuterDisposeScope();
    }
}

/// <summary>Inputs of one attention call: hidden states (B, T, D), rotary tables for these positions, optional cache.</summary>
public sealed record AttentionInput(Tensor HiddenStates, Tensor Cos, Tensor Sin, KvCache? Cache, int LayerIndex);
