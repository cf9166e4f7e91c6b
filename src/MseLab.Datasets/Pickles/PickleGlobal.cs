namespace MseLab.Datasets.Pickles;

/// <summary>What an allowed global does when the pickle calls it; interpreted by <see cref="NumpyCalls"/>, never looked up.</summary>
internal enum GlobalKind
{
    /// <summary><c>numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')</c>: an empty array that BUILD fills.</summary>
    Reconstruct,

    /// <summary><c>numpy.core.multiarray.scalar(dtype, bytes)</c>.</summary>
    Scalar,

    /// <summary><c>numpy.core.numeric._frombuffer(buffer, dtype, shape, order)</c> (protocol 5).</summary>
    FromBuffer,

    /// <summary>The class <c>numpy.ndarray</c> (only ever an argument of <c>_reconstruct</c>).</summary>
    NdArray,

    /// <summary><c>numpy.dtype(typestring, align, copy)</c>, then BUILD.</summary>
    Dtype,

    /// <summary><c>_codecs.encode(str, 'latin1')</c>: how protocols 0-2 write bytes.</summary>
    CodecsEncode,
}

/// <summary>An allowed global as it sits on the unpickler's stack: a name and what calling it means.</summary>
internal sealed record PickleGlobal(GlobalKind Kind, string Name)
{
    /// <summary>The allow-list (spec datasets.md §6): numpy 1.x and 2.x module paths, nothing else.</summary>
    private static readonly Dictionary<string, PickleGlobal> Allowed = new[]
    {
        new PickleGlobal(GlobalKind.Reconstruct, "numpy.core.multiarray._reconstruct"),
        new PickleGlobal(GlobalKind.Scalar, "numpy.core.multiarray.scalar"),
        new PickleGlobal(GlobalKind.FromBuffer, "numpy.core.numeric._frombuffer"),
        new PickleGlobal(GlobalKind.Reconstruct, "numpy._core.multiarray._reconstruct"),
        new PickleGlobal(GlobalKind.Scalar, "numpy._core.multiarray.scalar"),
        new PickleGlobal(GlobalKind.FromBuffer, "numpy._core.numeric._frombuffer"),
        new PickleGlobal(GlobalKind.NdArray, "numpy.ndarray"),
        new PickleGlobal(GlobalKind.Dtype, "numpy.dtype"),
        new PickleGlobal(GlobalKind.CodecsEncode, "_codecs.encode"),
    }.ToDictionary(g => g.Name, StringComparer.Ordinal);

    public static PickleGlobal? Find(string module, string name) =>
        Allowed.GetValueOrDefault(module + "." + name);
}

/// <summary>A value that BUILD completes: the unpickler replaces it, on the stack and in the memo, by the finished value.</summary>
internal abstract class PendingValue
{
    /// <summary>Memo keys that hold this value, so that BUILD can point them at the finished one.</summary>
    public List<long> MemoKeys { get; } = [];
}

/// <summary>The empty array <c>_reconstruct</c> returns, waiting for its BUILD state.</summary>
internal sealed class PendingArray : PendingValue;

/// <summary>A dtype from <c>numpy.dtype('f4', False, True)</c>, waiting for its BUILD state (byte order, item size).</summary>
internal sealed class PendingDtype(NumpyDtype dtype, string typeString) : PendingValue
{
    /// <summary>The dtype as the type string alone says (little-endian, the string's size).</summary>
    public NumpyDtype Dtype { get; } = dtype;

    public string TypeString { get; } = typeString;
}
