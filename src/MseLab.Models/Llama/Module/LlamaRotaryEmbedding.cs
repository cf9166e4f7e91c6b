using MseLab.Models.Checkpoints;
using MseLab.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.Llama.Module;

/// <summary>
/// Rotary position embedding as in HF Llama (non-interleaved halves: rotate_half). The cos/sin tables are computed
/// once for max_position_embeddings and sliced per call; they are non-persistent buffers, so the state dict equals HF's.
/// </summary>
public sealed class LlamaRotaryEmbedding : nn.Module
{
    private readonly Tensor _cos;
    private readonly Tensor _sin;

    public LlamaRotaryEmbedding(int headDim, double theta, int maxPositions, Device device) : base(nameof(LlamaRotaryEmbedding))
    {
        using var scope = NewDisposeScope();
        // inv_freq[i] = 1 / theta^(2i/d), computed in float32 like HF (int64 arange -> float).
        using Scalar zero = 0.ToScalar(), one = 1.ToScalar(), two = 2.ToScalar(), dim = headDim.ToScalar(), end = maxPositions.ToScalar();
        var exponents = arange(zero, dim, two, dtype: ScalarType.Int64).to(ScalarType.Float32).div(dim);
        using var thetaTensor = tensor((float)theta);                  // HF: float base ** float32 exponents
        var invFreq = pow(thetaTensor, exponents).reciprocal();
        var positions = arange(zero, end, one, dtype: ScalarType.Int64).to(ScalarType.Float32);
        var freqs = outer(positions, invFreq);                   // (maxT, d/2)
        var emb = cat([freqs, freqs], dim: -1);                  // (maxT, d)
        _cos = emb.cos().to(EmptyWeights.BufferDevice(device)).DetachFromDisposeScope();
        _sin = emb.sin().to(EmptyWeights.BufferDevice(device)).DetachFromDisposeScope();
        register_buffer("cos_cached", _cos, persistent: false);
        register_buffer("sin_cached", _sin, persistent: false);
    }

    /// <summary>cos and sin for positions [start, start+length): each (length, headDim) in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) Tables(long start, long length, ScalarType dtype)
    {
        if (start + length > _cos.shape[0])
        {
            throw new ArgumentException(
                $"The sequence needs {start + length} positions but config.json allows max_position_embeddings = {_cos.shape[0]}. Shorten the prompt or raise the limit.");
        }

        return (_cos.narrow(0, start, length).to(dtype), _sin.narrow(0, start, length).to(dtype));
    }

    /// <summary>x * cos + rotate_half(x) * sin for x of shape (B, nh, T, hd).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([x2.neg(), x1], dim: -1);
        return x.mul(cos).PlusInPlace(rotated.mul(sin)).MoveToOuterDisposeScope();
    }
}
