using static TorchSharp.torch;

namespace MseLab.Models.Llama.Module;

/// <summary>
/// Rotary position embedding as in HF Llama (non-interleaved halves: rotate_half). The cos/sin tables are
/// non-persistent buffers so the state dict equals HF's.
/// </summary>
public sealed class LlamaRotaryEmbedding : nn.Module
{
    private readonly Tensor _invFreq;

    public LlamaRotaryEmbedding(int headDim, double theta, Device device) : base(nameof(LlamaRotaryEmbedding))
    {
        // inv_freq[i] = 1 / theta^(2i/d), computed in float32 like HF (int64 arange -> float).
        var exponents = arange(0, headDim, 2, dtype: ScalarType.Int64).to(ScalarType.Float32) / headDim;
        _invFreq = (1.0 / pow(theta, exponents)).to(device);
        register_buffer("inv_freq", _invFreq, persistent: false);
    }

    /// <summary>cos and sin for positions [start, start+length): each (length, headDim) in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) Tables(long start, long length, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var positions = arange(start, start + length, dtype: ScalarType.Float32, device: _invFreq.device);
        var freqs = outer(positions, _invFreq);                 // (T, d/2)
        var emb = cat([freqs, freqs], dim: -1);                 // (T, d)
        return (emb.cos().to(dtype).MoveToOuterDisposeScope(), emb.sin().to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>x * cos + rotate_half(x) * sin for x of shape (B, nh, T, hd).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x[.., .., .., ..(int)half];
        var x2 = x[.., .., .., (int)half..];
        var rotated = cat([-x2, x1], dim: -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
