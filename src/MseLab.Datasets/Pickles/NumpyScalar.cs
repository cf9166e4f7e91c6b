namespace MseLab.Datasets.Pickles;

/// <summary>A numpy scalar (<c>numpy.core.multiarray.scalar(dtype, bytes)</c>), e.g. an <c>np.int64</c> length.</summary>
public sealed class NumpyScalar
{
    public required NumpyDtype Dtype { get; init; }

    /// <summary>The value's raw bytes.</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>The value as double (bool: 0/1); throws <see cref="InvalidDataException"/> for a str scalar.</summary>
    public double ToDouble() => NumpyElements.ToDouble(Numeric(), Dtype);

    /// <summary>The integer value; throws for a non-integral float.</summary>
    public long ToInt64()
    {
        var element = Numeric();
        return Dtype switch
        {
            { Kind: NumpyDtype.Float } => NumpyElements.IntegralOrThrow(NumpyElements.ToDouble(element, Dtype), Dtype, 0),
            { Kind: NumpyDtype.Unsigned, ItemSize: 8 } when NumpyElements.ToInt64(element, Dtype) < 0 =>
                throw new InvalidDataException($"the {Dtype} scalar {(ulong)NumpyElements.ToInt64(element, Dtype)} does not fit int64"),
            _ => NumpyElements.ToInt64(element, Dtype),
        };
    }

    /// <summary>The text of a numpy str scalar (<c>np.str_</c>, e.g. an element taken out of a <c>&lt;U</c> array).</summary>
    public string ToText() => Dtype.Kind == NumpyDtype.Text
        ? NumpyElements.ToText(Bytes.Span, Dtype)
        : throw new InvalidDataException($"a numpy scalar of dtype {Dtype} is not a str");

    public override string ToString() => Dtype.Kind == NumpyDtype.Text ? ToText() : $"{ToDouble():R} ({Dtype})";

    private ReadOnlySpan<byte> Numeric() => Dtype.IsNumeric
        ? Bytes.Span
        : throw new InvalidDataException($"a numpy scalar of dtype {Dtype} is not a number");
}
