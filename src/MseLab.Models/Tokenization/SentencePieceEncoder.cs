using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace MseLab.Models.Tokenization;

/// <summary>
/// A SentencePiece BPE <c>tokenizer.model</c> as <c>SentencePieceProcessor.encode</c> / <c>decode</c> use it: the
/// model's own normaliser flags (<see cref="SentencePieceTextNormalizer"/>), then score-ordered BPE merges with byte
/// fallback (<see cref="SentencePieceBpe"/>). Microsoft.ML.Tokenizers' SentencePieceTokenizer was measured against
/// python3-sentencepiece and differs in both steps (the tests show where), so neither is delegated to it.
/// </summary>
internal sealed class SentencePieceEncoder
{
    private readonly SentencePieceTextNormalizer _normalizer;
    private readonly SentencePieceBpe _bpe;
    private readonly Dictionary<string, int> _pieceIds = new(StringComparer.Ordinal);

    public SentencePieceEncoder(string modelPath)
    {
        Path = System.IO.Path.GetFullPath(modelPath);
        Model = SentencePieceModelFile.Read(modelPath);
        if (Model.ModelType != SentencePieceModelFile.BpeModelType)
        {
            throw new InvalidDataException(
                $"'{Path}' is a SentencePiece model of type {Model.ModelType}; MseLab reads BPE models (type 2) only, as LLaMA-2 and ChatGLM3 ship.");
        }

        try
        {
            _normalizer = new SentencePieceTextNormalizer(Model);
            _bpe = new SentencePieceBpe(Model);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"'{Path}': {ex.Message} Use the tokenizer.model of the checkpoint.", ex);
        }

        for (var id = 0; id < Model.Pieces.Count; id++)
        {
            _pieceIds.TryAdd(Model.Pieces[id].Piece, id);
        }
    }

    public string Path { get; }

    public SentencePieceModelFile Model { get; }

    /// <summary><c>sp.vocab_size()</c>: the number of pieces.</summary>
    public int PieceCount => Model.Pieces.Count;

    /// <summary>
    /// <c>sp.encode(text)</c>: the ids of the pieces of the normalised text, no BOS or EOS. A run of characters
    /// without pieces is one <c>&lt;unk&gt;</c>, as SentencePiece merges unknown neighbours.
    /// </summary>
    public int[] Encode(string text)
    {
        var normalized = _normalizer.Normalize(text);
        return _bpe.Encode(normalized);
    }

    /// <summary>The normalised text (for tests and messages).</summary>
    public string Normalize(string text) => _normalizer.Normalize(text);

    /// <summary>
    /// <c>sp.decode(ids)</c> without the unknown piece's " ⁇ ": byte pieces are joined and read as UTF-8, "▁" is a
    /// space, the dummy prefix's space is dropped; control and unknown pieces and ids outside the model are skipped.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id < 0 || id >= Model.Pieces.Count)
            {
                continue;
            }

            var piece = Model.Pieces[id];
            if (piece.Type == SentencePieceType.Byte)
            {
                bytes.Add(byte.Parse(piece.Piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                continue;
            }

            if (piece.Type is SentencePieceType.Control or SentencePieceType.Unknown)
            {
                continue;
            }

            FlushBytes(text, bytes);
            text.Append(piece.Piece);
        }

        FlushBytes(text, bytes);
        var decoded = Model.EscapeWhitespaces ? text.Replace('\u2581', ' ').ToString() : text.ToString();
        if (Model.AddDummyPrefix)
        {
            decoded = Model.TreatWhitespaceAsSuffix
                ? (decoded.EndsWith(' ') ? decoded[..^1] : decoded)
                : (decoded.StartsWith(' ') ? decoded[1..] : decoded);
        }

        return decoded;
    }

    private static void FlushBytes(StringBuilder text, List<byte> bytes)
    {
        if (bytes.Count > 0)
        {
            text.Append(Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes)));
            bytes.Clear();
        }
    }

    public bool TryPieceToId(string piece, out int id) => _pieceIds.TryGetValue(piece, out id);
}
