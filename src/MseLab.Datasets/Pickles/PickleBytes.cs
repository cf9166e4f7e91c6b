namespace MseLab.Datasets.Pickles;

/// <summary>
/// A Python <c>bytes</c> or <c>bytearray</c> value from a pickle. Small values are held in memory; large ones (array data,
/// up to several GB) stay in the file as a segment and are read on demand, so unpickling never copies them.
/// </summary>
public sealed class PickleBytes
{
    // CONTRACT (helper "pickle" implements): construct either in memory or as (file path, offset, length).

    /// <summary>Length in bytes.</summary>
    public long Length { get; }

    /// <summary>True when the bytes are held in memory (<see cref="Memory"/> is valid).</summary>
    public bool InMemory { get; }

    /// <summary>The bytes when <see cref="InMemory"/>; otherwise throws.</summary>
    public ReadOnlyMemory<byte> Memory => throw new NotImplementedException();

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/> (file or memory).</summary>
    public void Read(long offset, Span<byte> destination) => throw new NotImplementedException();

    /// <summary>A read-only stream over the bytes.</summary>
    public Stream OpenRead() => throw new NotImplementedException();
}
