namespace MseLab.Models.Tokenization;

/// <summary>
/// ChatGLM3's tokenizer (<c>tokenization_chatglm.py</c> of THUDM/chatglm3-6b): the SentencePiece
/// <c>tokenizer.model</c> plus nine special tokens numbered right after its pieces, and the <c>[gMASK] sop</c>
/// prefix that <c>encode</c> puts in front of every text.
/// </summary>
/// <remarks>
/// Role strings such as <c>&lt;|user|&gt;</c> inside the text are ordinary text, as with the remote code's default
/// <c>encode_special_tokens=False</c>; <see cref="TokenToId"/> still names them.
/// </remarks>
public sealed class ChatGlm3Tokenizer : ITextTokenizer
{
    /// <summary>The file name in a ChatGLM3 checkpoint folder.</summary>
    public const string FileName = "tokenizer.model";

    /// <summary>The specials in id order, from <c>sp.vocab_size()</c> on (l.17-31 of the remote tokenizer).</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } =
        ["[MASK]", "[gMASK]", "[sMASK]", "sop", "eop", "<|system|>", "<|user|>", "<|assistant|>", "<|observation|>"];

    private readonly SentencePieceEncoder _sentencePiece;
    private readonly Dictionary<string, int> _specialIds = new(StringComparer.Ordinal);

    /// <summary>Loads <paramref name="modelPath"/> (a <c>tokenizer.model</c>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a SentencePiece BPE model; the message names the file.</exception>
    public ChatGlm3Tokenizer(string modelPath)
    {
        _sentencePiece = new SentencePieceEncoder(modelPath);
        for (var i = 0; i < SpecialTokens.Count; i++)
        {
            _specialIds[SpecialTokens[i]] = _sentencePiece.PieceCount + i;
        }
    }

    /// <inheritdoc />
    public int VocabSize => _sentencePiece.PieceCount + SpecialTokens.Count;

    /// <summary>The id of <c>[gMASK]</c>.</summary>
    public int GMaskId => _specialIds["[gMASK]"];

    /// <summary>The id of <c>sop</c>.</summary>
    public int SopId => _specialIds["sop"];

    /// <inheritdoc />
    public int[] Encode(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = _sentencePiece.Encode(text);
        return addSpecialTokens ? [GMaskId, SopId, .. pieces] : pieces;
    }

    /// <inheritdoc />
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _sentencePiece.Decode(ids.Where(id => id < _sentencePiece.PieceCount));
    }

    /// <inheritdoc />
    public int TokenToId(string token) =>
        TryTokenToId(token, out var id) ? id
        : throw new KeyNotFoundException($"Token \"{token}\" is neither a piece of '{_sentencePiece.Path}' nor one of ChatGLM3's specials ({string.Join(" ", SpecialTokens)}).");

    /// <inheritdoc />
    public bool TryTokenToId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _specialIds.TryGetValue(token, out id) || _sentencePiece.TryPieceToId(token, out id);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Managed only: nothing to release.
    }
}
