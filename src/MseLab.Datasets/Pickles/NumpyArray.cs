using System.Buffers;

namespace MseLab.Datasets.Pickles;

/// <summary>
/// A numpy <c>ndarray</c> from a pickle (<c>_reconstruct</c> + BUILD, or protocol 5's <c>_frombuffer</c>): dtype, shape,
/// memory order, and either the raw element bytes (numeric and <c>&lt;U</c> arrays) or the element objects (object arrays).
/// Reading converts to the caller's type the way numpy's <c>astype</c> does and returns elements in C (row-major) order
/// whatever the stored order.
/// </summary>
public sealed class NumpyArray
{
    // Bytes converted per step: large enough for few file reads, small enough to stay out of the large object heap churn.
    private const int ChunkBytes = 1 << 20;

    public required NumpyDtype Dtype { get; init; }

    /// <summary>The shape; empty for a 0-d array.</summary>
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>
    /// True when <see cref="Data"/> is stored in Fortran (column-major) order. Always false for object arrays: numpy
    /// pickles their elements in C order whatever the array's layout.
    /// </summary>
    public bool FortranOrder { get; init; }

    /// <summary>The element bytes (numeric, bool and <c>&lt;U</c> dtypes); null for object arrays.</summary>
    public PickleBytes? Data { get; init; }

    /// <summary>The elements of an object array (dtype <c>O</c>) in C (row-major) order, as numpy pickles them; null otherwise.</summary>
    public IReadOnlyList<object?>? Objects { get; init; }

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long Count
    {
        get
        {
            var count = 1L;
            foreach (var dim in Shape)
            {
                count = checked(count * dim);
            }

            return count;
        }
    }

    /// <summary>True when element order in <see cref="Data"/> differs from C order (Fortran order with 2+ axes).</summary>
    internal bool StoredAsFortran => FortranOrder && Shape.Count > 1;

    /// <summary>
    /// Elements [<paramref name="start"/>, start + destination.Length) of the C-order flattening, converted to float32 as
    /// <c>astype(np.float32)</c> does (float64 rounds to nearest; integers and bools convert). Object arrays of numbers
    /// are accepted too.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a numeric array; the message names the dtype.</exception>
    public void ReadFloat32(long start, Span<float> destination)
    {
        CheckRange(start, destination.Length);
        if (Objects is { } objects)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = NumpyElements.ObjectToFloat32(objects[checked((int)(start + i))], start + i);
            }

            return;
        }

        RequireNumeric("float32");
        using var reader = new RawElementReader(this, start, destination.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(Dtype.ItemSize, ChunkBytes));
        try
        {
            var done = 0;
            int n;
            while ((n = reader.Next(buffer)) > 0)
            {
                NumpyElements.ToFloat32(buffer.AsSpan(0, n * Dtype.ItemSize), Dtype, destination.Slice(done, n));
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>All elements as float32 (small arrays: labels).</summary>
    public float[] ToFloat32()
    {
        var values = new float[CountForArray()];
        ReadFloat32(0, values);
        return values;
    }

    /// <summary>All elements as int64 (integer, bool, or integral float/object elements); throws naming the dtype otherwise.</summary>
    public long[] ToInt64()
    {
        var values = new long[CountForArray()];
        if (Objects is { } objects)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = NumpyElements.ObjectToInt64(objects[i], i);
            }

            return values;
        }

        RequireNumeric("int64");
        using var reader = new RawElementReader(this, 0, values.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(Dtype.ItemSize, ChunkBytes));
        try
        {
            var done = 0;
            int n;
            while ((n = reader.Next(buffer)) > 0)
            {
                NumpyElements.ToInt64(buffer.AsSpan(0, n * Dtype.ItemSize), Dtype, values.AsSpan(done, n), done);
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return values;
    }

    /// <summary>All elements as strings (<c>&lt;U</c> arrays without their NUL padding, or object arrays of str).</summary>
    public string[] ToStrings()
    {
        var values = new string[CountForArray()];
        if (Objects is { } objects)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = objects[i] switch
                {
                    string s => s,
                    NumpyScalar { Dtype.Kind: NumpyDtype.Text } scalar => scalar.ToText(),
                    var other => throw new InvalidDataException($"object element {i} is {PickleValues.Describe(other)}, not a str"),
                };
            }

            return values;
        }

        if (Dtype.Kind != NumpyDtype.Text)
        {
            throw new InvalidDataException($"an array of dtype {Dtype} holds no text (expected '<U' or object elements)");
        }

        if (Dtype.ItemSize == 0)
        {
            Array.Fill(values, "");
            return values;
        }

        using var reader = new RawElementReader(this, 0, values.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(Dtype.ItemSize, ChunkBytes));
        try
        {
            var done = 0;
            int n;
            while ((n = reader.Next(buffer)) > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    values[done + i] = NumpyElements.ToText(buffer.AsSpan(i * Dtype.ItemSize, Dtype.ItemSize), Dtype);
                }

                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return values;
    }

    public override string ToString() => $"ndarray({string.Join(", ", Shape)}) {Dtype}{(FortranOrder ? " Fortran" : "")}";

    private void RequireNumeric(string target)
    {
        if (!Dtype.IsNumeric)
        {
            throw new InvalidDataException($"an array of dtype {Dtype} cannot be read as {target}: it is not a numeric array");
        }

        if (Data is null)
        {
            throw new InvalidDataException($"an array of dtype {Dtype} has no data");
        }
    }

    private int CountForArray()
    {
        var count = Count;
        return count <= Array.MaxLength
            ? (int)count
            : throw new InvalidOperationException($"{count} elements do not fit one array; read them in parts with ReadFloat32");
    }

    private void CheckRange(long start, int length)
    {
        var count = Count;
        if (start < 0 || start > count - length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"elements [{start}, {start + length}) are outside the array's {count}");
        }
    }
}
