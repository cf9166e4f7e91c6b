using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace MseLab.Models.Tokenization;

/// <summary>
/// Qwen's split of text into words before BPE, the regex <c>PAT_STR</c> of <c>tokenization_qwen.py</c> (l.22):
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>,
/// matched leftmost-first as tiktoken's regex engine does, over Unicode code points.
/// </summary>
/// <remarks>
/// .NET's Regex sees UTF-16 code units, so <c>\p{L}</c> never matches a letter outside the BMP (𝐀, 𠀀) and such a
/// letter would split where tiktoken keeps it in the word; this scanner classifies whole code points instead.
/// <c>\s</c> is Unicode White_Space (tiktoken's Rust regex), which is .NET's <see cref="Rune.IsWhiteSpace"/>.
/// </remarks>
public sealed class QwenPreTokenizer : PreTokenizer
{
    /// <summary>The one instance (the scanner has no state).</summary>
    public static QwenPreTokenizer Instance { get; } = new();

    private enum Kind : byte
    {
        Letter,
        Number,
        LineBreak,
        Space,
        Other,
    }

    /// <summary>The words of <paramref name="text"/>, in order; they cover the text exactly.</summary>
    public static IEnumerable<string> Split(string text) =>
        Ranges(text).Select(r => text.Substring(r.Offset, r.Length));

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Ranges(text ?? "");

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Ranges(text.ToString());

    private static List<(int Offset, int Length)> Ranges(string text)
    {
        // Code points with their UTF-16 offsets; offsets[n] is the end of the text.
        var kinds = new List<Kind>(text.Length);
        var runes = new List<Rune>(text.Length);
        var offsets = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length;)
        {
            offsets.Add(i);
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length) != System.Buffers.OperationStatus.Done)
            {
                rune = Rune.ReplacementChar; // a lone surrogate: neither letter, number nor space
            }

            runes.Add(rune);
            kinds.Add(Classify(rune));
            i += Math.Max(length, 1);
        }

        offsets.Add(text.Length);
        var result = new List<(int Offset, int Length)>();
        for (var start = 0; start < kinds.Count;)
        {
            var end = MatchAt(kinds, runes, start);
            result.Add((offsets[start], offsets[end] - offsets[start]));
            start = end;
        }

        return result;
    }

    private static Kind Classify(Rune rune)
    {
        if (rune.Value is '\r' or '\n')
        {
            return Kind.LineBreak;
        }

        if (Rune.IsLetter(rune))
        {
            return Kind.Letter;
        }

        if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber)
        {
            return Kind.Number;
        }

        return Rune.IsWhiteSpace(rune) ? Kind.Space : Kind.Other;
    }

    // The end (exclusive, in code points) of the match that starts at i: the alternatives in PAT_STR's order.
    private static int MatchAt(List<Kind> k, List<Rune> r, int i)
    {
        var n = k.Count;
        bool IsSpace(int j) => k[j] is Kind.Space or Kind.LineBreak;

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (r[i].Value == '\'' && i + 1 < n)
        {
            var c1 = Fold(r[i + 1]);
            if (c1 is 's' or 't' or 'm' or 'd')
            {
                return i + 2;
            }

            if (i + 2 < n)
            {
                var c2 = Fold(r[i + 2]);
                if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l'))
                {
                    return i + 3;
                }
            }
        }

        // [^\r\n\p{L}\p{N}]?\p{L}+
        var letters = k[i] == Kind.Letter ? i : (k[i] is Kind.Space or Kind.Other && i + 1 < n && k[i + 1] == Kind.Letter ? i + 1 : -1);
        if (letters >= 0)
        {
            var j = letters;
            while (j < n && k[j] == Kind.Letter)
            {
                j++;
            }

            return j;
        }

        // \p{N}
        if (k[i] == Kind.Number)
        {
            return i + 1;
        }

        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var other = r[i].Value == ' ' && i + 1 < n && k[i + 1] == Kind.Other ? i + 1 : (k[i] == Kind.Other ? i : -1);
        if (other >= 0)
        {
            var j = other;
            while (j < n && k[j] == Kind.Other)
            {
                j++;
            }

            while (j < n && k[j] == Kind.LineBreak)
            {
                j++;
            }

            return j;
        }

        // Whitespace: \s*[\r\n]+ (up to the last line break of the run), \s+(?!\S), \s+
        var end = i;
        var lastBreak = -1;
        while (end < n && IsSpace(end))
        {
            if (k[end] == Kind.LineBreak)
            {
                lastBreak = end;
            }

            end++;
        }

        if (lastBreak >= 0)
        {
            return lastBreak + 1;
        }

        return end == n || end - 1 == i ? end : end - 1;
    }

    // Simple case folding for the contraction letters ('ſ' folds to 's', as in Unicode).
    private static int Fold(Rune rune) => rune.Value switch
    {
        >= 'A' and <= 'Z' => rune.Value + ('a' - 'A'),
        0x017F => 's',
        _ => rune.Value,
    };
}
