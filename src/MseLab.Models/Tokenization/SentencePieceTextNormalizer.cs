using System.Buffers.Binary;
using System.Text;

namespace MseLab.Models.Tokenization;

/// <summary>
/// SentencePiece's text normalisation (<c>normalizer.cc</c>, <c>Normalizer::Normalize</c>) driven by the flags a
/// model stores: the precompiled character map (<c>nmt_nfkc</c> and friends; none for <c>identity</c>), then
/// remove_extra_whitespaces, add_dummy_prefix (or the suffix form) and escape_whitespaces.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers 2.0.1 ignores the precompiled map and drops a single-character text when
/// remove_extra_whitespaces is on, so MseLab normalises here and hands the library only the normalised text.
/// </remarks>
internal sealed class SentencePieceTextNormalizer
{
    private const char SpaceSymbolChar = '\u2581';
    private const string SpaceSymbol = "\u2581";

    private readonly SentencePieceModelFile _model;
    private readonly uint[] _trie;
    private readonly byte[] _normalized;

    public SentencePieceTextNormalizer(SentencePieceModelFile model)
    {
        _model = model;
        var map = model.PrecompiledCharsmap;
        if (map.Length == 0)
        {
            _trie = [];
            _normalized = [];
            return;
        }

        var trieBytes = map.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(map) : uint.MaxValue;
        if (trieBytes > map.Length - 4 || trieBytes % 4 != 0)
        {
            throw new InvalidDataException("the normalizer's precompiled_charsmap is corrupt (trie size past the end).");
        }

        _trie = new uint[trieBytes / 4];
        for (var i = 0; i < _trie.Length; i++)
        {
            _trie[i] = BinaryPrimitives.ReadUInt32LittleEndian(map.AsSpan(4 + (4 * i)));
        }

        _normalized = map[(4 + (int)trieBytes)..];
    }

    /// <summary>The normalised text the model's pieces are matched against ("▁" for spaces when escaping).</summary>
    public string Normalize(string text)
    {
        var input = Encoding.UTF8.GetBytes(text);
        var position = 0;
        var output = new StringBuilder(text.Length + 1);
        var space = _model.EscapeWhitespaces ? SpaceSymbol : " ";

        if (_model.RemoveExtraWhitespaces)
        {
            while (position < input.Length)
            {
                var (piece, consumed) = NormalizePrefix(input, position);
                if (piece != " ")
                {
                    break;
                }

                position += consumed;
            }
        }

        if (position == input.Length)
        {
            return "";
        }

        if (!_model.TreatWhitespaceAsSuffix && _model.AddDummyPrefix)
        {
            output.Append(space);
        }

        var isPreviousSpace = _model.RemoveExtraWhitespaces;
        while (position < input.Length)
        {
            var (piece, consumed) = NormalizePrefix(input, position);
            var start = 0;
            while (isPreviousSpace && start < piece.Length && piece[start] == ' ')
            {
                start++;
            }

            if (start < piece.Length)
            {
                for (var i = start; i < piece.Length; i++)
                {
                    if (piece[i] == ' ' && _model.EscapeWhitespaces)
                    {
                        output.Append(SpaceSymbolChar);
                    }
                    else
                    {
                        output.Append(piece[i]);
                    }
                }

                isPreviousSpace = _model.RemoveExtraWhitespaces && piece[^1] == ' ';
            }

            position += consumed;
        }

        if (_model.RemoveExtraWhitespaces)
        {
            while (output.Length >= space.Length && output.ToString(output.Length - space.Length, space.Length) == space)
            {
                output.Length -= space.Length;
            }
        }

        if (_model.TreatWhitespaceAsSuffix && _model.AddDummyPrefix)
        {
            output.Append(space);
        }

        return output.ToString();
    }

    // The longest rule of the character map that matches at input[position..], or the next character unchanged.
    private (string Piece, int Consumed) NormalizePrefix(byte[] input, int position)
    {
        var (matchLength, value) = LongestMatch(input, position);
        if (matchLength > 0)
        {
            var end = Array.IndexOf(_normalized, (byte)0, value);
            var replacement = Encoding.UTF8.GetString(_normalized, value, (end < 0 ? _normalized.Length : end) - value);
            return (replacement, matchLength);
        }

        var charLength = Utf8Length(input[position]);
        return (Encoding.UTF8.GetString(input, position, charLength), charLength);
    }

    // Darts-clone common prefix search over the double-array trie (the charsmap's first block).
    private (int Length, int Value) LongestMatch(byte[] input, int position)
    {
        if (_trie.Length == 0)
        {
            return (0, 0);
        }

        var best = (Length: 0, Value: 0);
        var unit = _trie[0];
        var node = Offset(unit);
        for (var i = position; i < input.Length; i++)
        {
            var label = input[i];
            if (label == 0)
            {
                break;
            }

            node ^= label;
            if (node >= _trie.Length)
            {
                break;
            }

            unit = _trie[node];
            if ((unit & ((1u << 31) | 0xFF)) != label)
            {
                break;
            }

            node ^= Offset(unit);
            if (((unit >> 8) & 1) == 1 && node < _trie.Length)
            {
                best = (i - position + 1, (int)(_trie[node] & ((1u << 31) - 1)));
            }
        }

        return best;
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);

    private static int Utf8Length(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xF0 => 4,
        >= 0xE0 => 3,
        >= 0xC0 => 2,
        _ => 1,
    };
}
