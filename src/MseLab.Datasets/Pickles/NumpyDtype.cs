using System.Globalization;

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
    /// <summary>True for bool, integer and float dtypes (what <c>astype(np.float32)</c> converts).</summary>
    public bool IsNumeric => Kind is Bool or Signed or Unsigned or Float;

    internal const char Bool = 'b';
    internal const char Signed = 'i';
    internal const char Unsigned = 'u';
    internal const char Float = 'f';
    internal const char Text = 'U';
    internal const char Object = 'O';

    /// <summary>numpy's string form, e.g. <c>&lt;f4</c>, <c>&lt;U7</c>, <c>|O</c>, <c>|b1</c>.</summary>
    public override string ToString() => Kind switch
    {
        Object => "|O",
        Text => string.Create(CultureInfo.InvariantCulture, $"{Order}U{ItemSize / 4}"),
        _ when ItemSize == 1 => string.Create(CultureInfo.InvariantCulture, $"|{Kind}1"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Order}{Kind}{ItemSize}"),
    };

    private char Order => BigEndian ? '>' : '<';

    /// <summary>
    /// The dtype a pickle's type string names (<c>f4</c>, <c>U7</c>, <c>O8</c>; the form <c>numpy.dtype.__reduce__</c>
    /// writes, optionally with a byte-order prefix), little-endian unless the prefix says otherwise. Null with a reason
    /// when MseLab does not read that kind.
    /// </summary>
    internal static NumpyDtype? Parse(string typeString, out string? refusal)
    {
        refusal = null;
        var text = typeString;
        var bigEndian = false;
        if (text.Length > 0 && text[0] is '<' or '>' or '|' or '=')
        {
            bigEndian = text[0] == '>';
            text = text[1..];
        }

        if (text.Length == 0 || !int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            refusal = $"'{typeString}' is not a numpy type string";
            return null;
        }

        var kind = text[0];
        var supported = kind switch
        {
            Bool => size == 1,
            Signed or Unsigned => size is 1 or 2 or 4 or 8,
            Float => size is 2 or 4 or 8,
            Text => size >= 0,
            Object => size is 4 or 8,
            _ => false,
        };
        if (!supported)
        {
            refusal = $"numpy dtype '{typeString}' ({Describe(kind, size)}) is not supported: dataset arrays are bool, int, uint, "
                + $"float16/32/64, str ('<U') or object. Convert the array ({Conversion(kind)}) and pickle it again";
            return null;
        }

        return kind switch
        {
            Text => new NumpyDtype(kind, checked(size * 4), bigEndian),
            Object => new NumpyDtype(kind, 8, false),
            _ => new NumpyDtype(kind, size, size > 1 && bigEndian),
        };
    }

    private static string Conversion(char kind) => kind switch
    {
        'c' => "np.real(a) or np.abs(a), then .astype(np.float32)",
        'S' => "a.astype(str)",
        'V' => "one plain array per field",
        'M' or 'm' => "a.astype(np.int64)",
        _ => "e.g. a.astype(np.float64)",
    };

    private static string Describe(char kind, int size) => kind switch
    {
        'c' => "complex",
        'S' => "bytes",
        'V' => "void/structured",
        'M' => "datetime64",
        'm' => "timedelta64",
        Float => $"{size * 8}-bit float",
        Signed or Unsigned or Bool => $"{size}-byte integer",
        _ => "an unknown kind",
    };
}
