namespace MseLab.Datasets.Pickles;

/// <summary>A numpy scalar (<c>numpy.core.multiarray.scalar(dtype, bytes)</c>), e.g. an <c>np.int64</c> length.</summary>
public sealed class NumpyScalar
{
    // CONTRACT (helper "pickle" implements).

    public required NumpyDtype Dtype { get; init; }

    /// <summary>The value's raw bytes.</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    public double ToDouble() => throw new NotImplementedException();

    /// <summary>The integer value; throws for a non-integral float.</summary>
    public long ToInt64() => throw new NotImplementedException();
}
