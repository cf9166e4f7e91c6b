using System.Text;

namespace MseLab.Models.Tokenization;

/// <summary>
/// GPT-2's byte-to-character table (<c>bytes_to_unicode</c>): printable bytes stand for themselves, the other 68 map
/// to U+0100 on. It orders Qwen's 256 single-byte ranks and names byte-level tokens ("Ġthe" for " the").
/// </summary>
public static class ByteLevelNames
{
    private static readonly char[] ByteToChar = Build();
    private static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    /// <summary>The 256 bytes in GPT-2 order: <c>!</c>..<c>~</c>, <c>¡</c>..<c>¬</c>, <c>®</c>..<c>ÿ</c>, then the rest ascending.</summary>
    public static IReadOnlyList<byte> Gpt2ByteOrder { get; } = [.. Enumerable.Range(0, 256).Select(b => (byte)b).OrderBy(b => ByteToChar[b])];

    /// <summary>The byte-level name of <paramref name="token"/>.</summary>
    public static string Name(ReadOnlySpan<byte> token)
    {
        var name = new StringBuilder(token.Length);
        foreach (var b in token)
        {
            name.Append(ByteToChar[b]);
        }

        return name.ToString();
    }

    /// <summary>The bytes a byte-level name stands for; false when a character is not in the table.</summary>
    public static bool TryBytes(string name, out byte[] bytes)
    {
        bytes = new byte[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            if (!CharToByte.TryGetValue(name[i], out bytes[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static char[] Build()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }
}
