namespace MseLab.Datasets.Pickles;

/// <summary>
/// Reads a pickle (protocols 2 to 5) without running anything it names beyond an allow-list of the globals dataset files
/// need (spec datasets.md §6): numpy's <c>_reconstruct</c>, <c>scalar</c> and <c>_frombuffer</c> under both
/// <c>numpy.core</c> (numpy 1.x) and <c>numpy._core</c> (2.x), <c>numpy.ndarray</c>, <c>numpy.dtype</c> and
/// <c>_codecs.encode</c> (protocol 2 bytes). Any other global is refused when its opcode is read, before any call,
/// with the file and the global named.
/// Python values map to: None → null, bool → bool, int → long (or <see cref="System.Numerics.BigInteger"/>), float →
/// double, str → string, bytes/bytearray → <see cref="PickleBytes"/>, tuple → object?[], list → List&lt;object?&gt;,
/// dict → Dictionary&lt;object, object?&gt; (keys compare by value: string, long, …), ndarray → <see cref="NumpyArray"/>,
/// numpy scalar → <see cref="NumpyScalar"/>, dtype → <see cref="NumpyDtype"/>.
/// </summary>
public static class SafeUnpickler
{
    // CONTRACT (helper "pickle" implements).

    /// <summary>Unpickles the file at <paramref name="path"/>; large byte strings stay in the file (see <see cref="PickleBytes"/>).</summary>
    /// <exception cref="UnsafePickleException">A global outside the allow-list; nothing was called.</exception>
    /// <exception cref="PickleFormatException">Truncated or malformed; the message names the file and the byte offset.</exception>
    public static object? Load(string path) => throw new NotImplementedException();
}
