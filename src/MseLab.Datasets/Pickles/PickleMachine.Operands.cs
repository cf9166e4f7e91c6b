using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace MseLab.Datasets.Pickles;

/// <summary>Decoding opcode operands from the file: fixed-width integers, byte strings (large ones left in the file), UTF-8 text, and protocol 0's text forms of numbers and strings.</summary>
internal sealed partial class PickleMachine
{
    private ReadOnlySpan<byte> Read(int count) => input.ReadBytes(count);

    private long ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Read(4));

    private long ReadUInt64()
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(Read(8));
        return value <= long.MaxValue ? (long)value : throw input.Truncated($"{value} bytes");
    }

    /// <summary>A bytes or bytearray value: in memory when small, a file segment (skipped, not read) when large.</summary>
    private PickleBytes Bytes(long length)
    {
        input.Require(length);
        if (length < inMemoryLimit)
        {
            return new PickleBytes(input.ReadBytes((int)length));
        }

        var segment = new PickleBytes(input.Path, input.Position, length);
        input.Skip(length);
        return segment;
    }

    private string Utf8(long length)
    {
        input.Require(length);
        if (length > Array.MaxLength)
        {
            throw _errors.Unsupported($"a str of {length} bytes (more than one .NET string holds)");
        }

        return Decode(input.ReadBytes((int)length));
    }

    private string Utf8Line() => Decode(input.ReadLine(MaxTextLine));

    /// <summary>A protocol-0 numeric or index argument.</summary>
    private string Text()
    {
        var line = input.ReadLine(MaxTextLine);
        return Array.TrueForAll(line, b => b <= 0x7F)
            ? Encoding.ASCII.GetString(line)
            : throw _errors.Format($"{input.Opcode}'s text argument is not ASCII");
    }

    /// <summary>Python 3 reads protocol-0/1 byte strings (Python 2 str) as ASCII by default.</summary>
    private string Ascii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b > 0x7F)
            {
                throw _errors.Unsupported("a Python 2 byte string with non-ASCII bytes (Python 3 refuses it too without encoding=)");
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    private string QuotedAscii(string text)
    {
        if (text.Length >= 2 && text[0] == text[^1] && text[0] is '\'' or '"' && !text.Contains('\\', StringComparison.Ordinal))
        {
            return text[1..^1];
        }

        throw _errors.Unsupported("a Python 2 string with escapes (STRING); re-save with protocol 2 or newer");
    }

    private string Decode(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw _errors.Format("a str that is not valid UTF-8");
        }
    }

    /// <summary>Protocol 0's str: latin-1 bytes with <c>\uXXXX</c> and <c>\UXXXXXXXX</c> escapes (pickle escapes every backslash).</summary>
    private string RawUnicodeEscape(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var digits = bytes[i] == '\\' && i + 1 < bytes.Length ? bytes[i + 1] switch { (byte)'u' => 4, (byte)'U' => 8, _ => 0 } : 0;
            if (digits == 0)
            {
                text.Append((char)bytes[i]);
                continue;
            }

            if (i + 2 + digits > bytes.Length
                || !int.TryParse(Encoding.ASCII.GetString(bytes, i + 2, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var point)
                || point is < 0 or > 0x10FFFF)
            {
                throw _errors.Format("a malformed \\u escape in a protocol-0 str");
            }

            text.Append(point <= 0xFFFF ? ((char)point).ToString() : char.ConvertFromUtf32(point));
            i += 1 + digits;
        }

        return text.ToString();
    }

    /// <summary>Protocol 0 writes True and False as INT 01 and 00.</summary>
    private void PushTextInt(string text)
    {
        switch (text)
        {
            case "00":
                Push(false);
                break;
            case "01":
                Push(true);
                break;
            default:
                PushInteger(TextLong(text));
                break;
        }
    }

    private BigInteger TextLong(string text) =>
        BigInteger.TryParse(text.TrimEnd('L'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw _errors.Format($"'{text}' is not an integer");

    private long TextIndex(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw _errors.Format($"'{text}' is not a memo index");

    private double TextFloat(string text) => text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw _errors.Format($"'{text}' is not a float"),
    };

    /// <summary>Python's int as long when it fits, else BigInteger (the mapping SafeUnpickler documents).</summary>
    private void PushInteger(BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            Push((long)value);
        }
        else
        {
            Push(value);
        }
    }
}
