using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm.Module;

/// <summary>
/// ChatGLM's <c>SelfAttention</c> + <c>CoreAttention</c> (modeling_chatglm.py, the torch &lt; 2 path). One fused
/// query_key_value projection: with multi-query attention its output is [q: nh*d | k: g*d | v: g*d], without it
/// per head [q_h | k_h | v_h]. Query head h reads key/value group h / (nh/g). The cache holds the g groups after rotary.
/// </summary>
public sealed class ChatGlmSelfAttention : nn.Module<GlmAttentionInput, Tensor>
{
    private readonly int _heads;
    private readonly int _groups;
    private readonly int _headDim;
    private readonly bool _multiQuery;
    private readonly bool _softmaxInFp32;

    // Held Scalars (a temporary one may be finalized mid-call). Scores are q.k * 1/(sqrt(d)*coeff), then * coeff,
    // with coeff the 1-based layer number under apply_query_key_layer_scaling: q.k/sqrt(d) up to rounding.
    private readonly Scalar _alpha;
    private readonly Scalar? _coeff;
    private readonly Scalar _minusInfinity = double.NegativeInfinity.ToScalar();

    [ComponentName(Name = "query_key_value")] private readonly Linear _queryKeyValue;
    [ComponentName(Name = "dense")] private readonly Linear _dense;

    public ChatGlmSelfAttention(ChatGlmConfig config, int layerNumber, ScalarType dtype, Device device) : base(nameof(ChatGlmSelfAttention))
    {
        _heads = config.NumAttentionHeads;
        _groups = config.KeyValueGroups;
        _headDim = config.KvChannels;
        _multiQuery = config.MultiQueryAttention;
        _softmaxInFp32 = config.AttentionSoftmaxInFp32;
        var coeff = config.ApplyQueryKeyLayerScaling ? Math.Max(1, layerNumber) : 1;
        _alpha = (1.0 / (Math.Sqrt(_headDim) * coeff)).ToScalar();
        _coeff = config.ApplyQueryKeyLayerScaling ? coeff.ToScalar() : null;
        _queryKeyValue = nn.Linear(config.HiddenSize, config.QkvSize, hasBias: config.AddBiasLinear || config.AddQkvBias, device: device, dtype: dtype);
        _dense = nn.Linear((long)_heads * _headDim, config.HiddenSize, hasBias: config.AddBiasLinear, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(GlmAttentionInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.HiddenStates;
        long b = x.shape[0], t = x.shape[1];
        var mixed = _queryKeyValue.forward(x);                                        // (B, T, nh*d + 2*g*d)
        Tensor q, k, v;
        if (_multiQuery)
        {
            long qWidth = (long)_heads * _headDim, kvWidth = (long)_groups * _headDim;
            q = mixed.narrow(-1, 0, qWidth).view(b, t, _heads, _headDim);
            k = mixed.narrow(-1, qWidth, kvWidth).view(b, t, _groups, _headDim);
            v = mixed.narrow(-1, qWidth + kvWidth, kvWidth).view(b, t, _groups, _headDim);
        }
        else
        {
            var perHead = mixed.view(b, t, _heads, 3 * _headDim);                   // [q_h | k_h | v_h] per head
            q = perHead.narrow(-1, 0, _headDim);
            k = perHead.narrow(-1, _headDim, _headDim);
            v = perHead.narrow(-1, 2 * _headDim, _headDim);
        }

        q = ChatGlmRotaryEmbedding.Apply(q.transpose(1, 2), input.Cos, input.Sin);   // (B, nh, T, d)
        k = ChatGlmRotaryEmbedding.Apply(k.transpose(1, 2), input.Cos, input.Sin);   // (B, g, T, d)
        v = v.transpose(1, 2);                                                        // (B, g, T, d)

        var past = input.Cache?.LengthOf(input.LayerIndex) ?? 0;
        if (input.Cache is not null)
        {
            (k, v) = input.Cache.Append(input.LayerIndex, k, v);                      // (B, g, past+T, d)
        }

        if (_groups != _heads)
        {
            // The remote code's unsqueeze/expand/view: query head h reads group h / (nh/g).
            k = k.repeat_interleave(_heads / _groups, dim: 1);
            v = v.repeat_interleave(_heads / _groups, dim: 1);
        }

        var scores = q.matmul(k.transpose(-2, -1)).mul_(_alpha);                      // (B, nh, T, past+T)
        if (_softmaxInFp32)
        {
            scores = scores.to(ScalarType.Float32);
        }

        if (_coeff is not null)
        {
            scores = scores.mul(_coeff);
        }

        if (t > 1)
        {
            // New position i (absolute past+i) sees keys 0..past+i.
            var future = ones(t, past + t, dtype: ScalarType.Bool, device: x.device).tril(diagonal: past).logical_not();
            scores = scores.masked_fill(future, _minusInfinity);
        }

        var probabilities = softmax(scores, dim: -1).to(v.dtype);
        var context = probabilities.matmul(v).transpose(1, 2).reshape(b, t, (long)_heads * _headDim);   // (B, T, nh*d)
        return _dense.forward(context).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _alpha.Dispose();
            _coeff?.Dispose();
            _minusInfinity.Dispose();
        }

        base.Dispose(disposing);
    }
}
