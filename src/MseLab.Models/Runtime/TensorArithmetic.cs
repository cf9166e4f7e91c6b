using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.Runtime;

/// <summary>
/// Tensor sums whose alpha Scalar lives for the whole process. TorchSharp 0.107 computes <c>a + b</c> as
/// <c>add(b, (Scalar)1)</c> and keeps no reference to that temporary, so its finalizer can free the native value while
/// libtorch reads it (a rare "toFloat" or "Unknown scalar type" failure). BannedSymbols.txt bans those members; use
/// these instead, and hold any other Scalar in a field or a <c>using</c> for the length of the call.
/// </summary>
public static class TensorArithmetic
{
    private static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar Two = 2.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/> (broadcasting), as a new tensor.</summary>
    public static Tensor Plus(this Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add(right, One);
    }

    /// <summary>Adds <paramref name="right"/> into <paramref name="left"/> in place and returns it.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add_(right, One);
    }

    /// <summary>Adds the held Scalar <paramref name="right"/> into <paramref name="left"/> in place and returns it.</summary>
    public static Tensor PlusInPlace(this Tensor left, Scalar right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add_(right, One);
    }

    /// <summary>Element-wise square (pow with exponent 2, which libtorch computes as x * x).</summary>
    public static Tensor Squared(this Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.pow(Two);
    }
}
