using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace MseLab.Datasets.Pickles;

/// <summary>
/// Raw numpy elements to .NET values, the way numpy's casts do it: <c>astype(np.float32)</c> is a C cast from the
/// stored type (float64 rounds to nearest, integers round to nearest, bool is 0/1); an object element goes through
/// Python's <c>float()</c> first, i.e. through double.
/// </summary>
internal static class NumpyElements
{
    private static readonly UTF32Encoding Utf32Little = new(bigEndian: false, byteOrderMark: false);
    private static readonly UTF32Encoding Utf32Big = new(bigEndian: true, byteOrderMark: false);

    /// <summary>Converts whole elements of <paramref name="dtype"/> in <paramref name="source"/> to float32.</summary>
    public static void ToFloat32(ReadOnlySpan<byte> source, NumpyDtype dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case { Kind: NumpyDtype.Float, ItemSize: 4, BigEndian: false }:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                return;
            case { Kind: NumpyDtype.Float, ItemSize: 8, BigEndian: false }:
                var doubles = MemoryMarshal.Cast<byte, double>(source);
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)doubles[i];
                }

                return;
            default:
                var size = dtype.ItemSize;
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = ToFloat32(source.Slice(i * size, size), dtype);
                }

                return;
        }
    }

    /// <summary>
    /// Converts whole elements to int64; a float must be integral and in range. <paramref name="firstIndex"/> is the
    /// C-order index of the first element, for the error message.
    /// </summary>
    public static void ToInt64(ReadOnlySpan<byte> source, NumpyDtype dtype, Span<long> destination, long firstIndex)
    {
        var size = dtype.ItemSize;
        for (var i = 0; i < destination.Length; i++)
        {
            var element = source.Slice(i * size, size);
            destination[i] = dtype.Kind switch
            {
                NumpyDtype.Float => IntegralOrThrow(ToDouble(element, dtype), dtype, firstIndex + i),
                NumpyDtype.Unsigned when size == 8 => UnsignedOrThrow(Read64(element, dtype.BigEndian), dtype, firstIndex + i),
                _ => ToInt64(element, dtype),
            };
        }
    }

    /// <summary>One numeric element as float32 (a C cast from its stored type).</summary>
    public static float ToFloat32(ReadOnlySpan<byte> element, NumpyDtype dtype) => (dtype.Kind, dtype.ItemSize) switch
    {
        (NumpyDtype.Float, 2) => (float)BitConverter.UInt16BitsToHalf(Read16(element, dtype.BigEndian)),
        (NumpyDtype.Float, 4) => BitConverter.UInt32BitsToSingle(Read32(element, dtype.BigEndian)),
        (NumpyDtype.Float, 8) => (float)BitConverter.UInt64BitsToDouble(Read64(element, dtype.BigEndian)),
        (NumpyDtype.Unsigned, 8) => (float)Read64(element, dtype.BigEndian),
        _ => ToInt64(element, dtype),
    };

    /// <summary>One numeric element as double (exact for every stored type but int64/uint64 beyond 2^53).</summary>
    public static double ToDouble(ReadOnlySpan<byte> element, NumpyDtype dtype) => (dtype.Kind, dtype.ItemSize) switch
    {
        (NumpyDtype.Float, 2) => (double)BitConverter.UInt16BitsToHalf(Read16(element, dtype.BigEndian)),
        (NumpyDtype.Float, 4) => BitConverter.UInt32BitsToSingle(Read32(element, dtype.BigEndian)),
        (NumpyDtype.Float, 8) => BitConverter.UInt64BitsToDouble(Read64(element, dtype.BigEndian)),
        (NumpyDtype.Unsigned, 8) => Read64(element, dtype.BigEndian),
        _ => ToInt64(element, dtype),
    };

    /// <summary>One bool or integer element (uint64 above long.MaxValue wraps: callers check first).</summary>
    public static long ToInt64(ReadOnlySpan<byte> element, NumpyDtype dtype) => (dtype.Kind, dtype.ItemSize) switch
    {
        (NumpyDtype.Bool, _) => element[0] != 0 ? 1 : 0,
        (NumpyDtype.Signed, 1) => (sbyte)element[0],
        (NumpyDtype.Unsigned, 1) => element[0],
        (NumpyDtype.Signed, 2) => (short)Read16(element, dtype.BigEndian),
        (NumpyDtype.Unsigned, 2) => Read16(element, dtype.BigEndian),
        (NumpyDtype.Signed, 4) => (int)Read32(element, dtype.BigEndian),
        (NumpyDtype.Unsigned, 4) => Read32(element, dtype.BigEndian),
        (NumpyDtype.Signed or NumpyDtype.Unsigned, 8) => (long)Read64(element, dtype.BigEndian),
        _ => throw new InvalidDataException($"dtype {dtype} is not an integer type"),
    };

    /// <summary>A <c>&lt;U</c> element without numpy's trailing NUL padding (numpy strips it the same way).</summary>
    public static string ToText(ReadOnlySpan<byte> element, NumpyDtype dtype)
    {
        var units = element.Length / 4;
        while (units > 0 && Read32(element.Slice((units - 1) * 4, 4), dtype.BigEndian) == 0)
        {
            units--;
        }

        return (dtype.BigEndian ? Utf32Big : Utf32Little).GetString(element[..(units * 4)]);
    }

    /// <summary>An object-array element as float32: through double, as numpy's object-to-float cast does.</summary>
    public static float ObjectToFloat32(object? value, long index) => (float)ObjectToDouble(value, index);

    public static double ObjectToDouble(object? value, long index) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        BigInteger big => (double)big,
        NumpyScalar { Dtype.IsNumeric: true } scalar => scalar.ToDouble(),
        _ => throw new InvalidDataException($"object element {index} is {PickleValues.Describe(value)}, not a number"),
    };

    public static long ObjectToInt64(object? value, long index) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => IntegralOrThrow(d, null, index),
        BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
        NumpyScalar { Dtype.IsNumeric: true } scalar => scalar.ToInt64(),
        _ => throw new InvalidDataException($"object element {index} is {PickleValues.Describe(value)}, not an integer"),
    };

    public static long IntegralOrThrow(double value, NumpyDtype? dtype, long index) =>
        Math.Floor(value) == value && value >= -9.2233720368547758E18 && value < 9.2233720368547758E18
            ? (long)value
            : throw new InvalidDataException($"element {index} ({value:R}{(dtype is null ? "" : $", dtype {dtype}")}) is not an integer");

    private static long UnsignedOrThrow(ulong value, NumpyDtype dtype, long index) => value <= long.MaxValue
        ? (long)value
        : throw new InvalidDataException($"element {index} ({value}, dtype {dtype}) does not fit int64");

    private static ushort Read16(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private static uint Read32(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private static ulong Read64(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
}
