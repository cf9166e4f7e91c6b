namespace MseLab.Datasets.Pickles;

/// <summary>
/// A numpy <c>ndarray</c> from a pickle (<c>_reconstruct</c> + BUILD, or protocol 5's <c>_frombuffer</c>): dtype, shape,
/// memory order, and either the raw element bytes (numeric and <c>&lt;U</c> arrays) or the element objects (object arrays).
/// Reading converts to the caller's type the way numpy's <c>astype</c> does and returns elements in C (row-major) order
/// whatever the stored order.
/// </summary>
public sealed class NumpyArray
{
    // CONTRACT (helper "pickle" implements).

    public required NumpyDtype Dtype { get; init; }

    /// <summary>The shape; empty for a 0-d array.</summary>
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>True when the data is stored in Fortran (column-major) order.</summary>
    public bool FortranOrder { get; init; }

    /// <summary>The element bytes (numeric, bool and <c>&lt;U</c> dtypes); null for object arrays.</summary>
    public PickleBytes? Data { get; init; }

    /// <summary>The elements of an object array (dtype <c>O</c>) in stored order; null otherwise.</summary>
    public IReadOnlyList<object?>? Objects { get; init; }

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long Count => throw new NotImplementedException();

    /// <summary>
    /// Elements [<paramref name="start"/>, start + destination.Length) of the C-order flattening, converted to float32 as
    /// <c>astype(np.float32)</c> does (float64 rounds to nearest; integers and bools convert). Object arrays of numbers
    /// are accepted too.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a numeric array; the message names the dtype.</exception>
    public void ReadFloat32(long start, Span<float> destination) => throw new NotImplementedException();

    /// <summary>All elements as float32 (small arrays: labels).</summary>
    public float[] ToFloat32() => throw new NotImplementedException();

    /// <summary>All elements as int64 (integer, bool, or integral float/object elements); throws naming the dtype otherwise.</summary>
    public long[] ToInt64() => throw new NotImplementedException();

    /// <summary>All elements as strings (<c>&lt;U</c> arrays without their NUL padding, or object arrays of str).</summary>
    public string[] ToStrings() => throw new NotImplementedException();
}
