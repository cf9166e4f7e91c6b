using System.Globalization;
using System.Text;

namespace MseLab.Models.Tokenization.Unicode;

/// <summary>
/// Unicode NFC (canonical decomposition, canonical ordering, canonical composition; UAX #15), from the tables in
/// <c>nfc-data.txt</c> (Unicode 14.0, written by <c>generate_nfc_data.py</c> from Python's unicodedata).
/// </summary>
/// <remarks>
/// MseLab builds with <c>InvariantGlobalization</c>, under which <see cref="string.Normalize()"/> returns non-ASCII text
/// unchanged; Qwen's tokenizer NFC-normalises every text first, so the tokenizer needs its own NFC.
/// </remarks>
public static class UnicodeNfc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Dictionary<int, int[]> Decompositions = [];
    private static readonly Dictionary<long, int> Compositions = [];
    private static readonly Dictionary<int, int> CombiningClasses = [];

#pragma warning disable CA1810 // the tables are read once from the embedded resource
    static UnicodeNfc()
#pragma warning restore CA1810
    {
        using var stream = typeof(UnicodeNfc).Assembly.GetManifestResourceStream("MseLab.Models.Tokenization.Unicode.nfc-data.txt")
            ?? throw new InvalidOperationException("The embedded resource nfc-data.txt is missing from MseLab.Models.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts[0] == "K")
            {
                CombiningClasses[Hex(parts[1])] = int.Parse(parts[2], CultureInfo.InvariantCulture);
                continue;
            }

            var cp = Hex(parts[1]);
            var decomposition = parts.Skip(2).Select(Hex).ToArray();
            Decompositions[cp] = decomposition;
            if (parts[0] == "C")
            {
                Compositions[Key(decomposition[0], decomposition[1])] = cp;
            }
        }
    }

    /// <summary><paramref name="text"/> in Normalization Form C.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.All(c => c < 0x300))
        {
            return text; // nothing below U+0300 decomposes or combines
        }

        var decomposed = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, decomposed);
        }

        SortCombiningMarks(decomposed);
        return Compose(decomposed);
    }

    private static void Decompose(int cp, List<int> output)
    {
        if (cp is >= SBase and < SBase + SCount)
        {
            var s = cp - SBase;
            output.Add(LBase + (s / NCount));
            output.Add(VBase + (s % NCount / TCount));
            if (s % TCount != 0)
            {
                output.Add(TBase + (s % TCount));
            }
        }
        else if (Decompositions.TryGetValue(cp, out var parts))
        {
            foreach (var part in parts)
            {
                Decompose(part, output);
            }
        }
        else
        {
            output.Add(cp);
        }
    }

    // Canonical ordering: a stable sort by combining class of each run of non-starters.
    private static void SortCombiningMarks(List<int> cps)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var ccc = Ccc(cps[i]);
            if (ccc == 0)
            {
                continue;
            }

            for (var j = i; j > 0 && Ccc(cps[j - 1]) > ccc; j--)
            {
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
            }
        }
    }

    private static string Compose(List<int> cps)
    {
        var result = new List<int>(cps.Count);
        var starter = -1;
        var lastClass = 256; // a text that starts with a non-starter has nothing to compose with
        foreach (var cp in cps)
        {
            var ccc = Ccc(cp);
            if (starter >= 0 && (lastClass < ccc || lastClass == 0) && TryCompose(result[starter], cp, out var composite))
            {
                result[starter] = composite;
                continue;
            }

            if (ccc == 0)
            {
                starter = result.Count;
            }

            lastClass = ccc;
            result.Add(cp);
        }

        var text = new StringBuilder(result.Count);
        foreach (var cp in result)
        {
            text.Append(char.ConvertFromUtf32(cp));
        }

        return text.ToString();
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
        {
            composite = SBase + ((((first - LBase) * VCount) + (second - VBase)) * TCount);
            return true;
        }

        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
        {
            composite = first + (second - TBase);
            return true;
        }

        return Compositions.TryGetValue(Key(first, second), out composite);
    }

    private static int Ccc(int cp) => CombiningClasses.GetValueOrDefault(cp);

    private static long Key(int first, int second) => ((long)first << 21) | (uint)second;

    private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
