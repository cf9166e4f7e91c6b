namespace MseLab.Models.Tokenization;

/// <summary>
/// LLaMA-2's <c>tokenizer.model</c> read the way Hugging Face's (slow, legacy) <c>LlamaTokenizer</c> reads it, for
/// folders without a <c>tokenizer.json</c>: a leading <c>&lt;s&gt;</c> with special tokens, the texts between
/// occurrences of the control pieces (<c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, <c>&lt;unk&gt;</c>) each encoded by SentencePiece.
/// </summary>
public sealed class LlamaSentencePieceTokenizer : ITextTokenizer
{
    /// <summary>The file name in a LLaMA checkpoint folder.</summary>
    public const string FileName = "tokenizer.model";

    private readonly SentencePieceEncoder _sentencePiece;
    private readonly IReadOnlyList<(string Text, int Id)> _specials;
    private readonly int _bosId;

    /// <summary>Loads <paramref name="modelPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a SentencePiece BPE model with a <c>&lt;s&gt;</c> piece; the message names the file.</exception>
    public LlamaSentencePieceTokenizer(string modelPath)
    {
        _sentencePiece = new SentencePieceEncoder(modelPath);
        var pieces = _sentencePiece.Model.Pieces;
        _specials = [.. Enumerable.Range(0, pieces.Count)
            .Where(id => pieces[id].Type is SentencePieceType.Control or SentencePieceType.Unknown)
            .Select(id => (pieces[id].Piece, id))];
        _bosId = _specials.FirstOrDefault(s => s.Text == "<s>").Id;
        if (!_sentencePiece.TryPieceToId("<s>", out _))
        {
            throw new InvalidDataException($"'{_sentencePiece.Path}' has no <s> piece, so it is not a LLaMA tokenizer.model.");
        }
    }

    /// <inheritdoc />
    public int VocabSize => _sentencePiece.PieceCount;

    /// <inheritdoc />
    public int[] Encode(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        if (addSpecialTokens)
        {
            ids.Add(_bosId);
        }

        var start = 0;
        while (start < text.Length)
        {
            var (at, special) = NextSpecial(text, start);
            if (at > start)
            {
                ids.AddRange(_sentencePiece.Encode(text[start..at]));
            }

            if (special is not { } found)
            {
                break;
            }

            ids.Add(found.Id);
            start = at + found.Text.Length;
        }

        return [.. ids];
    }

    /// <inheritdoc />
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _sentencePiece.Decode(ids);
    }

    /// <inheritdoc />
    public int TokenToId(string token) =>
        TryTokenToId(token, out var id) ? id
        : throw new KeyNotFoundException($"Token \"{token}\" is not a piece of '{_sentencePiece.Path}'.");

    /// <inheritdoc />
    public bool TryTokenToId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _sentencePiece.TryPieceToId(token, out id);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Managed only: nothing to release.
    }

    // The earliest special at or after start; the longest when several start there (Hugging Face's trie).
    private (int At, (string Text, int Id)? Special) NextSpecial(string text, int start)
    {
        for (var at = start; at < text.Length; at++)
        {
            (string Text, int Id)? best = null;
            foreach (var special in _specials)
            {
                if (special.Text.Length > 0 && string.CompareOrdinal(text, at, special.Text, 0, special.Text.Length) == 0
                    && (best is null || special.Text.Length > best.Value.Text.Length))
                {
                    best = special;
                }
            }

            if (best is not null)
            {
                return (at, best);
            }
        }

        return (text.Length, null);
    }
}
