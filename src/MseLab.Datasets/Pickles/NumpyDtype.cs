namespace MseLab.Datasets.Pickles;

/// <summary>
/// A numpy dtype as pickled (<c>numpy.dtype('f4', False, True)</c> then its BUILD state): kind (<c>f</c> float,
/// <c>i</c> signed, <c>u</c> unsigned, <c>b</c> bool, <c>U</c> UTF-32 text, <c>O</c> Python object), item size in bytes and
/// byte order.
/// </summary>
/// <param name="Kind">numpy's kind character.</param>
/// <param name="ItemSize">Bytes per element (<c>&lt;U7</c>: 28; object: 8).</param>
/// <param name="BigEndian">True for <c>&gt;</c> byte order.</param>
public sealed record NumpyDtype(char Kind, int ItemSize, bool BigEndian)
{
    /// <summary>numpy's string form, e.g. <c>&lt;f4</c>, <c>&lt;U7</c>, <c>|O</c>, <c>|b1</c>.</summary>
    public override string ToString() => throw new NotImplementedException();
}
