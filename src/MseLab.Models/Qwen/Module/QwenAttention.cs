using MseLab.Models.Backbones;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Qwen.Module;

/// <summary>
/// Qwen-1 self-attention (modeling_qwen.py QWenAttention, the torch &lt; 2 path written out): one c_attn projection split
/// into q | k | v of hidden_size each, rotary on q and k, the cache appended after rotary, logn scaling of the query,
/// scores / sqrt(head_dim), causal mask with the dtype's lowest value, softmax, c_proj.
/// </summary>
public sealed class QwenAttention : nn.Module<QwenAttentionInput, Tensor>
{
    private readonly int _hidden;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly bool _softmaxInFp32;
    private readonly Scalar? _scale;

    [ComponentName(Name = "c_attn")] private readonly Linear _cAttn;
    [ComponentName(Name = "c_proj")] private readonly Linear _cProj;

    public QwenAttention(QwenConfig config, ScalarType dtype, Device device) : base(nameof(QwenAttention))
    {
        _hidden = config.HiddenSize;
        _heads = config.NumAttentionHeads;
        _headDim = config.HeadDim;
        _softmaxInFp32 = config.SoftmaxInFp32;
        _scale = config.ScaleAttnWeights ? Math.Sqrt(_headDim).ToScalar() : null;   // value.size(-1) ** 0.5
        var projection = config.KvChannels * config.NumAttentionHeads;
        _cAttn = nn.Linear(config.HiddenSize, 3 * projection, hasBias: true, device: device, dtype: dtype);   // always biased
        _cProj = nn.Linear(projection, config.HiddenSize, hasBias: !config.NoBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(QwenAttentionInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.HiddenStates;
        long b = x.shape[0], t = x.shape[1];

        var qkv = _cAttn.forward(x).split(_hidden, dim: 2);                                            // 3 x (B, T, H)
        var q = QwenRotaryEmbedding.Apply(qkv[0].view(b, t, _heads, _headDim).transpose(1, 2), input.Cos, input.Sin);   // (B, nh, T, hd)
        var k = QwenRotaryEmbedding.Apply(qkv[1].view(b, t, _heads, _headDim).transpose(1, 2), input.Cos, input.Sin);
        var v = qkv[2].view(b, t, _heads, _headDim).transpose(1, 2);

        var past = input.Cache?.LengthOf(input.LayerIndex) ?? 0;
        if (input.Cache is not null)
        {
            (k, v) = input.Cache.Append(input.LayerIndex, k, v);                                        // (B, nh, past+T, hd)
        }

        if (input.LognScale is not null)
        {
            q = q.mul(input.LognScale.to(q.dtype));                                                    // (T, 1) per query position
        }

        var scores = matmul(q, k.transpose(-1, -2));                                                   // (B, nh, T, past+T)
        if (_scale is not null)
        {
            scores = scores.div(_scale);
        }

        if (t > 1)
        {
            // New position i (absolute past+i) sees keys 0..past+i. (The remote code builds this mask only when there
            // is no cache; with one it feeds a single token, for which the mask is all true.)
            using var lowest = finfo(scores.dtype).min.ToScalar();
            var allowed = ones(t, past + t, dtype: ScalarType.Bool, device: q.device).tril(diagonal: past);
            scores = scores.masked_fill(allowed.logical_not(), lowest);
        }

        var probabilities = _softmaxInFp32
            ? nn.functional.softmax(scores.to(ScalarType.Float32), dim: -1).to(q.dtype)
            : nn.functional.softmax(scores, dim: -1);
        var attended = matmul(probabilities, v);                                                       // (B, nh, T, hd)
        var merged = attended.transpose(1, 2).contiguous().view(b, t, _heads * _headDim);               // (B, T, H)
        return _cProj.forward(merged).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scale?.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Inputs of one attention call: hidden states (B, T, D), float32 rotary tables (T, rotary dim) for these positions,
/// the logn factor (T, 1) of each query position or null when logn attention is off, and the optional cache.
/// </summary>
public sealed record QwenAttentionInput(Tensor HiddenStates, Tensor Cos, Tensor Sin, Tensor? LognScale, KvCache? Cache, int LayerIndex);
