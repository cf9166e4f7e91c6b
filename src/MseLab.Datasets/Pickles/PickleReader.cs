namespace MseLab.Datasets.Pickles;

/// <summary>
/// The pickle's bytes with its own buffer over an unbuffered <see cref="FileStream"/>, so that the position is always
/// known (every error names a byte offset) and large values can be skipped with a seek instead of read. Reading past the
/// end throws <see cref="PickleFormatException"/> naming the opcode that was cut off.
/// </summary>
internal sealed class PickleReader : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private long _bufferStart;
    private int _bufferLength;
    private int _index;

    public PickleReader(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        Length = _stream.Length;
    }

    public string Path { get; }

    /// <summary>The file's length when it was opened: no read goes beyond it.</summary>
    public long Length { get; }

    public long Position => _bufferStart + _index;

    /// <summary>Where the opcode being read starts (the offset errors name).</summary>
    public long OpcodeStart { get; set; }

    /// <summary>The opcode name being read, for truncation messages.</summary>
    public string Opcode { get; set; } = "";

    public bool AtEnd => Position >= Length;

    public byte ReadByte()
    {
        if (_index < _bufferLength)
        {
            return _buffer[_index++];
        }

        Require(1);
        Fill();
        return _buffer[_index++];
    }

    public void ReadExactly(Span<byte> destination)
    {
        Require(destination.Length);
        var fromBuffer = Math.Min(destination.Length, _bufferLength - _index);
        _buffer.AsSpan(_index, fromBuffer).CopyTo(destination);
        _index += fromBuffer;
        destination = destination[fromBuffer..];
        if (destination.IsEmpty)
        {
            return;
        }

        if (destination.Length >= BufferSize)
        {
            // Large: straight into the destination, then restart the buffer after it.
            var at = Position;
            _stream.Position = at;
            try
            {
                _stream.ReadExactly(destination);
            }
            catch (EndOfStreamException)
            {
                // The file shrank while it was read.
                throw Truncated($"{destination.Length} bytes");
            }

            Reset(at + destination.Length);
            return;
        }

        Fill();
        _buffer.AsSpan(0, destination.Length).CopyTo(destination);
        _index = destination.Length;
    }

    public byte[] ReadBytes(int count)
    {
        var bytes = new byte[count];
        ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Moves past <paramref name="count"/> bytes without reading them.</summary>
    public void Skip(long count)
    {
        Require(count);
        var inBuffer = _bufferLength - _index;
        if (count <= inBuffer)
        {
            _index += (int)count;
            return;
        }

        Reset(Position + count);
    }

    /// <summary>A protocol-0 text line without its <c>\n</c> (a missing newline is a truncation).</summary>
    public byte[] ReadLine(int maxLength)
    {
        var line = new List<byte>();
        while (true)
        {
            if (AtEnd)
            {
                throw Truncated("a newline-terminated text argument");
            }

            if (line.Count > maxLength)
            {
                throw new PickleFormatException(Path, OpcodeStart, $"the text argument of {Opcode} has no newline in its first {maxLength} bytes");
            }

            var b = ReadByte();
            if (b == (byte)'\n')
            {
                return [.. line];
            }

            line.Add(b);
        }
    }

    /// <summary>Fails unless <paramref name="count"/> more bytes are in the file.</summary>
    public void Require(long count)
    {
        if (count < 0 || count > Length - Position)
        {
            throw Truncated($"{count} bytes");
        }
    }

    public PickleFormatException Truncated(string needed) =>
        new(Path, OpcodeStart, $"the file ends inside {Opcode} ({needed} needed at byte {Position}, the file has {Length} bytes)");

    public void Dispose() => _stream.Dispose();

    private void Fill()
    {
        var at = Position;
        _bufferStart = at;
        _index = 0;
        _stream.Position = at;
        _bufferLength = _stream.Read(_buffer, 0, (int)Math.Min(BufferSize, Length - at));
        if (_bufferLength == 0)
        {
            // The file shrank while it was read.
            throw Truncated("more bytes");
        }
    }

    private void Reset(long position)
    {
        _bufferStart = position;
        _bufferLength = 0;
        _index = 0;
    }
}
