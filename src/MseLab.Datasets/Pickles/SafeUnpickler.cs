using System.Text;

namespace MseLab.Datasets.Pickles;

/// <summary>
/// Reads a pickle (protocols 2 to 5) without running anything it names beyond an allow-list of the globals dataset files
/// need (spec datasets.md §6): numpy's <c>_reconstruct</c>, <c>scalar</c> and <c>_frombuffer</c> under both
/// <c>numpy.core</c> (numpy 1.x) and <c>numpy._core</c> (2.x), <c>numpy.ndarray</c>, <c>numpy.dtype</c> and
/// <c>_codecs.encode</c> (protocol 2 bytes). Any other global is refused when its opcode is read, before any call,
/// with the file and the global named.
/// Python values map to: None → null, bool → bool, int → long (or <see cref="System.Numerics.BigInteger"/>), float →
/// double, str → string, bytes/bytearray → <see cref="PickleBytes"/>, tuple → object?[], list → List&lt;object?&gt;,
/// dict → Dictionary&lt;object, object?&gt; (keys compare by value: string, long, …), set/frozenset →
/// HashSet&lt;object?&gt;, ndarray → <see cref="NumpyArray"/>, numpy scalar → <see cref="NumpyScalar"/>, dtype →
/// <see cref="NumpyDtype"/>.
/// </summary>
public static class SafeUnpickler
{
    /// <summary>
    /// Byte strings of at least this many bytes stay in the file (<see cref="PickleBytes.InMemory"/> false); smaller ones
    /// are read. Small enough that a list of per-utterance arrays (MELD, CHERMA) does not fill memory, large enough that
    /// labels and short arrays need no file access later.
    /// </summary>
    public const long InMemoryLimit = 16 * 1024;

    /// <summary>Unpickles the file at <paramref name="path"/>; large byte strings stay in the file (see <see cref="PickleBytes"/>).</summary>
    /// <exception cref="UnsafePickleException">A global outside the allow-list; nothing was called.</exception>
    /// <exception cref="PickleFormatException">Truncated or malformed; the message names the file and the byte offset.</exception>
    /// <exception cref="UnsupportedPickleException">Well-formed but holding what dataset files never do (a complex dtype, out-of-band buffers, …).</exception>
    public static object? Load(string path) => Load(path, InMemoryLimit);

    internal static object? Load(string path, long inMemoryLimit)
    {
        using var input = new PickleReader(Path.GetFullPath(path));
        try
        {
            return new PickleMachine(input, inMemoryLimit).Run();
        }
        catch (Exception e) when (e is OverflowException or InvalidCastException or ArgumentException or IndexOutOfRangeException
            or EndOfStreamException or DecoderFallbackException or FormatException)
        {
            // Every check the format needs is explicit; this only guarantees that a case missed still names the place.
            throw new PickleFormatException(input.Path, input.OpcodeStart, $"{input.Opcode} is malformed ({e.Message})");
        }
    }
}
