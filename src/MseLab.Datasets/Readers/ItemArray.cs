using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Readers;

/// <summary>
/// One MELD/CHERMA item's (T, d) feature array: an ndarray (any numeric dtype, either memory order; read when asked), or
/// nested Python lists, converted to float32 at once (they are in memory anyway), as <c>np.array(...).astype(np.float32)</c>.
/// </summary>
internal sealed class ItemArray
{
    private const string TwoDimensional = "Store each item's features as a (frames, width) array, every frame as wide as the others";

    private readonly NumpyArray? _array;
    private readonly float[]? _values;

    private ItemArray(int steps, int width, NumpyArray? array, float[]? values)
    {
        Steps = steps;
        Width = width;
        _array = array;
        _values = values;
    }

    public int Steps { get; }

    public int Width { get; }

    public string ShapeText => $"({Steps}, {Width})";

    /// <summary>Reads an item's array; errors name the item and say what the official np.array(...) needs.</summary>
    public static ItemArray From(object? value, ReadPlace place, string key, int index)
    {
        if (value is NumpyArray array)
        {
            if (array.Shape.Count != 2)
            {
                throw place.Error(key, index, $"expected a (frames, width) array, found shape {PythonValues.Shape(array.Shape)}", TwoDimensional);
            }

            if (!array.Dtype.IsNumeric && array.Dtype.Kind != NumpyDtype.Object)
            {
                throw place.Error(key, index, $"expected numbers, found dtype {array.Dtype}", "Store the features as a float array");
            }

            return new ItemArray(checked((int)array.Shape[0]), checked((int)array.Shape[1]), array, null);
        }

        var rows = PythonValues.Elements(value)
            ?? throw place.Error(key, index, $"expected an array or nested lists of numbers, found {PythonValues.TypeName(value)}", TwoDimensional);
        var width = -1;
        var values = new List<float>();
        for (var t = 0; t < rows.Count; t++)
        {
            var row = Row(rows[t]);
            if (row is null || (width >= 0 && row.Count != width))
            {
                var found = row is null ? PythonValues.TypeName(rows[t]) : $"a row of {row.Count} values where row 0 has {width}";
                throw place.Error(key, index, $"frame {t} is not a list of numbers like the others ({found})", TwoDimensional);
            }

            width = row.Count;
            foreach (var element in row)
            {
                values.Add(PythonValues.Float32(element)
                    ?? throw place.Error(key, index, $"frame {t} holds {PythonValues.TypeName(element)}, not a number", "Store the features as numbers"));
            }
        }

        if (rows.Count == 0)
        {
            throw place.Error(key, index, "the feature list is empty", TwoDimensional);
        }

        return new ItemArray(rows.Count, width, null, [.. values]);
    }

    // A frame: a list or tuple of numbers, or a 1-D numeric ndarray (np.array accepts a list of row arrays).
    private static IReadOnlyList<object?>? Row(object? value) => value is NumpyArray { Objects: null } row
        ? row.Shape.Count == 1 && row.Dtype.IsNumeric ? [.. row.ToFloat32().Select(v => (object?)(double)v)] : null
        : PythonValues.Elements(value);

    public void CopyTo(Span<float> destination, ReadPlace place, string key, int index)
    {
        if (_values is not null)
        {
            _values.CopyTo(destination);
            return;
        }

        try
        {
            _array!.ReadFloat32(0, destination[..(Steps * Width)]);
        }
        catch (InvalidDataException e)
        {
            throw place.Error(key, index, $"the values are not numbers: {e.Message}", "Store the features as a float array");
        }
    }
}
