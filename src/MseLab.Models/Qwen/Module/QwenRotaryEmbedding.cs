using MseLab.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.Qwen.Module;

/// <summary>
/// Qwen-1's rotary embedding (modeling_qwen.py RotaryEmbedding, apply_rotary_pos_emb): half-split rotate_half on the
/// first <c>dim</c> dims of each head, computed in float32, with the dynamic-NTK base <c>base * alpha^(dim/(dim-2))</c>.
/// Holds no tensors: the tables depend on alpha, so each call builds the rows it needs (positions are unbounded).
/// </summary>
public sealed class QwenRotaryEmbedding(int dim, double rotaryBase)
{
    /// <summary>Number of leading dims of a head that rotate.</summary>
    public int Dim { get; } = dim;

    /// <summary>
    /// The remote code's get_ntk_alpha: 2^ceil(log2(T / seq_length) + 1) - 1, at least 1 (so 1 for every T up to
    /// seq_length). Written with Python's math.log(x, 2) = ln x / ln 2 so powers of two round the same way.
    /// </summary>
    public static double NtkAlpha(long length, int seqLength)
    {
        var context = (Math.Log((double)length / seqLength) / Math.Log(2.0)) + 1;
        return Math.Max(Math.Pow(2, Math.Ceiling(context)) - 1, 1);
    }

    /// <summary>
    /// The logn attention factor of the query at 0-based position p: log(p+1) / log(seq_length) when p+1 exceeds
    /// seq_length, else 1 (Python's math.log(p+1, seq_length), stored as float32 like the remote logn_tensor).
    /// </summary>
    public static float LognScale(long position, int seqLength) =>
        position + 1 > seqLength ? (float)(Math.Log(position + 1) / Math.Log(seqLength)) : 1f;

    /// <summary>cos and sin (length, Dim) in float32 for positions [start, start+length) under NTK <paramref name="alpha"/>.</summary>
    public (Tensor Cos, Tensor Sin) Tables(long start, long length, double alpha, Device device)
    {
        using var scope = NewDisposeScope();
        // Python: base = self.base * ntk_alpha ** (dim / (dim - 2)); inv_freq = 1.0 / (base ** (arange(0, dim, 2).float() / dim)).
        var ntkBase = rotaryBase * Math.Pow(alpha, Dim / (double)(Dim - 2));
        using Scalar zero = 0.ToScalar(), two = 2.ToScalar(), dimScalar = Dim.ToScalar(), first = start.ToScalar(), end = (start + length).ToScalar(), one = 1.ToScalar();
        var exponents = arange(zero, dimScalar, two, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32).div(dimScalar);
        using var baseTensor = tensor((float)ntkBase, device: device);   // a Python float base meets float32 exponents
        var invFreq = pow(baseTensor, exponents).reciprocal();
        var positions = arange(first, end, one, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32);
        var freqs = outer(positions, invFreq);                  // (T, dim/2)
        var emb = cat([freqs, freqs], dim: -1);                 // (T, dim)
        return (emb.cos().MoveToOuterDisposeScope(), emb.sin().MoveToOuterDisposeScope());
    }

    /// <summary>Rotates the first cos.shape[-1] dims of x (B, nh, T, hd) in float32; the rest pass through; returns x's dtype.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var rotDim = cos.shape[^1];
        var half = rotDim / 2;
        var xf = x.to(ScalarType.Float32);
        var rotating = xf.narrow(-1, 0, rotDim);
        var passing = xf.narrow(-1, rotDim, xf.shape[^1] - rotDim);
        var rotated = cat([rotating.narrow(-1, half, half).neg(), rotating.narrow(-1, 0, half)], dim: -1);   // rotate_half
        var turned = rotating.mul(cos).PlusInPlace(rotated.mul(sin));
        return cat([turned, passing], dim: -1).to(x.dtype).MoveToOuterDisposeScope();
    }
}
