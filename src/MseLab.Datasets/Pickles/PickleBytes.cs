using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MseLab.Datasets.Pickles;

/// <summary>
/// A Python <c>bytes</c> or <c>bytearray</c> value from a pickle. Small values are held in memory; large ones (array data,
/// up to several GB) stay in the file as a segment and are read on demand, so unpickling never copies them.
/// </summary>
public sealed class PickleBytes
{
    private readonly ReadOnlyMemory<byte> _memory;

    /// <summary>Bytes held in memory.</summary>
    public PickleBytes(ReadOnlyMemory<byte> bytes)
    {
        _memory = bytes;
        Length = bytes.Length;
        InMemory = true;
    }

    /// <summary>The <paramref name="length"/> bytes at <paramref name="offset"/> of the file at <paramref name="path"/>, read when asked for.</summary>
    public PickleBytes(string path, long offset, long length)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        FilePath = path;
        FileOffset = offset;
        Length = length;
    }

    /// <summary>Length in bytes.</summary>
    public long Length { get; }

    /// <summary>True when the bytes are held in memory (<see cref="Memory"/> is valid).</summary>
    public bool InMemory { get; }

    /// <summary>The file that holds the bytes when not <see cref="InMemory"/>; null otherwise.</summary>
    public string? FilePath { get; }

    /// <summary>Where the bytes start in <see cref="FilePath"/> (0 when in memory).</summary>
    public long FileOffset { get; }

    /// <summary>The bytes when <see cref="InMemory"/>; otherwise throws.</summary>
    public ReadOnlyMemory<byte> Memory => InMemory
        ? _memory
        : throw new InvalidOperationException($"these {Length} bytes stay in {FilePath} (at byte {FileOffset}); use Read or OpenRead");

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/> (file or memory).</summary>
    public void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        if (InMemory)
        {
            _memory.Span.Slice((int)offset, destination.Length).CopyTo(destination);
            return;
        }

        using var handle = OpenFile();
        ReadFile(handle, offset, destination);
    }

    /// <summary>All the bytes in a new array (at most 2 GB).</summary>
    public byte[] ToArray()
    {
        if (Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"{Length} bytes do not fit one array; use Read or OpenRead");
        }

        var bytes = new byte[Length];
        Read(0, bytes);
        return bytes;
    }

    /// <summary>A read-only stream over the bytes.</summary>
    public Stream OpenRead()
    {
        if (!InMemory)
        {
            return new FileSegmentStream(this);
        }

        return MemoryMarshal.TryGetArray(_memory, out var segment) && segment.Array is { } array
            ? new MemoryStream(array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(_memory.ToArray(), writable: false);
    }

    internal SafeFileHandle OpenFile() => File.OpenHandle(FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read);

    /// <summary>Reads from an already open handle of <see cref="FilePath"/> (callers reading in chunks open it once).</summary>
    internal void ReadFile(SafeFileHandle handle, long offset, Span<byte> destination)
    {
        var at = FileOffset + offset;
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, at);
            if (read == 0)
            {
                // The segment was inside the file when it was unpickled: the file has shrunk since.
                throw new PickleFormatException(FilePath!, at, $"the file ends inside a {Length}-byte value that starts at byte {FileOffset}; it changed after it was unpickled");
            }

            destination = destination[read..];
            at += read;
        }
    }

    internal void CheckRange(long offset, long count)
    {
        if (offset < 0 || count < 0 || offset > Length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes [{offset}, {offset + count}) are outside the value's {Length} bytes");
        }
    }
}
