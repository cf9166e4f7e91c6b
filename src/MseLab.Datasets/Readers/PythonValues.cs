using System.Globalization;
using System.Numerics;
using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Readers;

/// <summary>
/// The unpickled Python values as the official loader uses them: sequences of str, of int and of float, each accepted
/// in every container the official code accepts (a list, a tuple, an ndarray), with errors that name the sample.
/// </summary>
internal static class PythonValues
{
    /// <summary>The Python type of an unpickled value, as a user would recognise it in a message.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        long or BigInteger => "int",
        double => "float",
        string => "str",
        PickleBytes => "bytes",
        object?[] => "tuple",
        List<object?> => "list",
        Dictionary<object, object?> => "dict",
        NumpyArray a => $"numpy.ndarray (dtype {a.Dtype}, shape {Shape(a.Shape)})",
        NumpyScalar s => $"numpy scalar ({s.Dtype})",
        NumpyDtype => "numpy.dtype",
        _ => value.GetType().Name,
    };

    /// <summary>A shape as Python prints it: <c>(7, 6, 74)</c>, <c>(5,)</c>.</summary>
    public static string Shape(IReadOnlyList<long> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    /// <summary>Dictionary keys as Python prints them, in stored order: <c>'train', 'dev'</c>.</summary>
    public static string Keys(Dictionary<object, object?> dict) =>
        dict.Count == 0 ? "none" : string.Join(", ", dict.Keys.Select(Repr));

    public static string Repr(object? key) => key switch
    {
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => TypeName(key),
    };

    /// <summary>The elements of a list, a tuple or a 1-D ndarray of objects; null for anything else.</summary>
    public static IReadOnlyList<object?>? Elements(object? value) => value switch
    {
        List<object?> list => list,
        object?[] tuple => tuple,
        NumpyArray { Objects: { } objects } a when a.Shape.Count == 1 => objects,
        _ => null,
    };

    /// <summary>Texts or ids: a list (or tuple) of str, or a 1-D <c>&lt;U</c> or object ndarray of str.</summary>
    public static string[] Strings(object? value, ReadPlace place, string key)
    {
        if (value is NumpyArray { Dtype.Kind: NumpyDtype.Text } text && text.Shape.Count == 1)
        {
            return text.ToStrings();
        }

        var elements = Elements(value)
            ?? throw place.Error(key, null, $"expected a list or a 1-D array of str, found {TypeName(value)}", "Store them as a list of str or a numpy str array");
        var strings = new string[elements.Count];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = Str(elements[i])
                ?? throw place.Error(key, i, $"expected a str, found {TypeName(elements[i])}", "Every entry must be a Python str");
        }

        return strings;
    }

    /// <summary>
    /// A Python str, or a numpy str scalar (<c>numpy.str_</c>, which a text taken from a numpy array is; the official
    /// code uses it as a str); null for anything else.
    /// </summary>
    public static string? Str(object? value) => value switch
    {
        string s => s,
        NumpyScalar { Dtype.Kind: NumpyDtype.Text } s => s.ToText(),
        _ => null,
    };

    /// <summary>Lengths: a list (or tuple) of int or numpy integer scalars, or a 1-D integer ndarray.</summary>
    public static long[] Integers(object? value, ReadPlace place, string key)
    {
        if (value is NumpyArray { Objects: null } array && array.Shape.Count == 1)
        {
            try
            {
                return array.ToInt64();
            }
            catch (InvalidDataException e)
            {
                throw place.Error(key, null, $"expected whole numbers: {e.Message}", "Store the lengths as integers");
            }
        }

        var elements = Elements(value)
            ?? throw place.Error(key, null, $"expected a list or a 1-D array of int, found {TypeName(value)}", "Store the lengths as a list or an array of int");
        var integers = new long[elements.Count];
        for (var i = 0; i < integers.Length; i++)
        {
            integers[i] = Integer(elements[i])
                ?? throw place.Error(key, i, $"expected an int, found {TypeName(elements[i])} {Text(elements[i])}", "Every length must be a whole number");
        }

        return integers;
    }

    /// <summary>One int (a Python int, a numpy integer scalar, or a whole float); null when it is none of those.</summary>
    public static long? Integer(object? value)
    {
        switch (value)
        {
            case long l:
                return l;
            case BigInteger b:
                return b >= long.MinValue && b <= long.MaxValue ? (long)b : null;
            case double d when double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 9.2e18:
                return (long)d;
            case NumpyScalar { Dtype.IsNumeric: true } s:
                try
                {
                    return s.ToInt64();
                }
                catch (InvalidDataException)
                {
                    return null;
                }
                catch (OverflowException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary>One number converted to float32 as numpy's <c>astype(np.float32)</c> does; null when it is not a number.</summary>
    public static float? Float32(object? value) => value switch
    {
        double d => (float)d,
        long l => l,
        bool b => b ? 1f : 0f,
        BigInteger b => (float)(double)b,
        NumpyScalar { Dtype.IsNumeric: true } s => (float)s.ToDouble(),
        _ => null,
    };

    /// <summary>Regression labels: a 1-D (or N x 1) numeric ndarray, or a list of numbers (MMSA wraps it in np.array).</summary>
    public static float[] Floats(object? value, ReadPlace place, string key)
    {
        if (value is NumpyArray array && (array.Shape.Count == 1 || (array.Shape.Count == 2 && array.Shape[1] == 1)))
        {
            try
            {
                return array.ToFloat32();
            }
            catch (InvalidDataException e)
            {
                throw place.Error(key, null, $"expected numbers: {e.Message}", "Store the labels as a float array");
            }
        }

        var elements = Elements(value)
            ?? throw place.Error(key, null, $"expected a 1-D float array or a list of float, found {TypeName(value)}", "Store the labels as a float array (N,)");
        var floats = new float[elements.Count];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = Float32(elements[i])
                ?? throw place.Error(key, i, $"expected a number, found {TypeName(elements[i])}", "Every label must be a number");
        }

        return floats;
    }

    private static string Text(object? value) => value switch
    {
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => "",
    };
}
