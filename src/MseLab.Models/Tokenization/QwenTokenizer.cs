using System.Text;
using Microsoft.ML.Tokenizers;
using MseLab.Models.Tokenization.Unicode;

namespace MseLab.Models.Tokenization;

/// <summary>
/// Qwen-1's tokenizer (<c>tokenization_qwen.py</c> of Qwen/Qwen-7B and Qwen-1_8B): <c>qwen.tiktoken</c> ranks merged
/// by Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer"/> over words split by <see cref="QwenPreTokenizer"/>,
/// text NFC-normalised first, and 208 special tokens numbered right after the ranks (151643.. for the real file).
/// </summary>
/// <remarks>
/// As the remote <c>tokenize</c> (<c>allowed_special="all"</c>), special-token text inside the text becomes the
/// special id; <c>encode</c> adds no BOS or EOS, so <c>addSpecialTokens</c> changes nothing. Tokens are named for
/// <see cref="TokenToId"/> by their byte-level spelling (GPT-2's table, as Qwen2's tokenizer.json spells Qwen-1's
/// ranks: "Ġthe" is " the") or, for specials, by their text.
/// </remarks>
public sealed class QwenTokenizer : ITextTokenizer
{
    /// <summary>The number of special tokens: <c>&lt;|endoftext|&gt;</c>, <c>&lt;|im_start|&gt;</c>, <c>&lt;|im_end|&gt;</c>, <c>&lt;|extra_0|&gt;</c>..<c>&lt;|extra_204|&gt;</c>.</summary>
    public const int SpecialTokenCount = 208;

    private readonly TiktokenTokenizer _bpe;
    private readonly byte[][] _tokens;
    private readonly Dictionary<string, int> _specialIds = new(StringComparer.Ordinal);
    private readonly Lazy<Dictionary<string, int>> _byteLevelIds;

    /// <summary>Loads <paramref name="tiktokenPath"/> (a <c>qwen.tiktoken</c>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed; the message names it and the line.</exception>
    public QwenTokenizer(string tiktokenPath)
    {
        Path = System.IO.Path.GetFullPath(tiktokenPath);
        _tokens = QwenTiktokenFile.Read(tiktokenPath);
        for (var i = 0; i < SpecialTokenCount; i++)
        {
            _specialIds[SpecialTokens[i]] = _tokens.Length + i;
        }

        using (var stream = File.OpenRead(tiktokenPath))
        {
            _bpe = TiktokenTokenizer.Create(stream, QwenPreTokenizer.Instance, normalizer: null, specialTokens: null);
        }

        _byteLevelIds = new(() =>
        {
            var ids = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
            for (var rank = 0; rank < _tokens.Length; rank++)
            {
                ids[ByteLevelNames.Name(_tokens[rank])] = rank;
            }

            return ids;
        });
    }

    /// <summary>The special tokens in id order (l.23-44 of the remote tokenizer).</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } =
        ["<|endoftext|>", "<|im_start|>", "<|im_end|>", .. Enumerable.Range(0, SpecialTokenCount - 3).Select(i => $"<|extra_{i}|>")];

    /// <summary>Full path of the loaded qwen.tiktoken.</summary>
    public string Path { get; }

    /// <summary>The number of ranks (mergeable tokens); the first special's id.</summary>
    public int RankCount => _tokens.Length;

    /// <inheritdoc />
    public int VocabSize => _tokens.Length + SpecialTokenCount;

    /// <summary>The id of <c>&lt;|endoftext|&gt;</c> (Qwen's EOS and pad).</summary>
    public int EndOfTextId => _tokens.Length;

    /// <inheritdoc />
    public int[] Encode(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = UnicodeNfc.Normalize(text);
        var ids = new List<int>();
        var start = 0;
        while (start < normalized.Length)
        {
            var (at, length, special) = NextSpecial(normalized, start);
            if (at > start)
            {
                ids.AddRange(_bpe.EncodeToIds(normalized[start..at]));
            }

            if (length == 0)
            {
                break;
            }

            ids.Add(special);
            start = at + length;
        }

        return [.. ids];
    }

    /// <inheritdoc />
    /// <remarks>The bytes of the ranks are read as UTF-8 with invalid sequences replaced (U+FFFD), as the remote <c>errors="replace"</c>.</remarks>
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id >= 0 && id < _tokens.Length)
            {
                bytes.AddRange(_tokens[id]);
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <inheritdoc />
    public int TokenToId(string token) =>
        TryTokenToId(token, out var id) ? id
        : throw new KeyNotFoundException($"Token \"{token}\" is neither a Qwen special token nor the byte-level name of a rank of '{Path}'.");

    /// <inheritdoc />
    public bool TryTokenToId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _specialIds.TryGetValue(token, out id) || _byteLevelIds.Value.TryGetValue(token, out id);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Managed only: nothing to release.
    }

    // The leftmost special in text[start..]: every special is "<|...|>" without "|>" inside, so only the first "|>"
    // after a "<|" can close one.
    private (int At, int Length, int Id) NextSpecial(string text, int start)
    {
        for (var at = text.IndexOf("<|", start, StringComparison.Ordinal); at >= 0; at = text.IndexOf("<|", at + 1, StringComparison.Ordinal))
        {
            var close = text.IndexOf("|>", at + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }

            if (_specialIds.TryGetValue(text[at..(close + 2)], out var id))
            {
                return (at, close + 2 - at, id);
            }
        }

        return (text.Length, 0, -1);
    }
}
