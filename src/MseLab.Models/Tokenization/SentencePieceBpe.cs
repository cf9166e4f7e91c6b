using System.Globalization;
using System.Text;

namespace MseLab.Models.Tokenization;

/// <summary>
/// SentencePiece's BPE segmentation (<c>bpe_model.cc</c>, <c>Model::Encode</c>) of an already normalised text: start
/// from single characters (user-defined pieces whole), repeatedly merge the adjacent pair whose joined piece has the
/// highest score, the leftmost pair among equal scores; a symbol without a piece becomes its UTF-8 byte pieces
/// (byte_fallback) or <c>&lt;unk&gt;</c>.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers 2.0.1's SentencePieceTokenizer breaks ties between equal scores from the right
/// ("zzz" becomes "z" "zz" where SentencePiece gives "zz" "z"), so MseLab merges here.
/// </remarks>
internal sealed class SentencePieceBpe
{
    private readonly Dictionary<string, int> _pieceIds = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<SentencePiece> _pieces;
    private readonly string[] _userDefined;
    private readonly int[] _byteIds = new int[256];
    private readonly bool _byteFallback;
    private readonly int _unknownId;

    public SentencePieceBpe(SentencePieceModelFile model)
    {
        _pieces = model.Pieces;
        _byteFallback = model.ByteFallback;
        _unknownId = -1;
        Array.Fill(_byteIds, -1);
        for (var id = 0; id < _pieces.Count; id++)
        {
            var piece = _pieces[id];
            switch (piece.Type)
            {
                case SentencePieceType.Normal or SentencePieceType.UserDefined:
                    _pieceIds.TryAdd(piece.Piece, id);
                    break;
                case SentencePieceType.Unknown when _unknownId < 0:
                    _unknownId = id;
                    break;
                case SentencePieceType.Byte when piece.Piece.Length == 6:
                    _byteIds[byte.Parse(piece.Piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = id;
                    break;
                default:
                    break;
            }
        }

        _userDefined = [.. _pieces.Where(p => p.Type == SentencePieceType.UserDefined).Select(p => p.Piece).OrderByDescending(p => p.Length)];
        if (_unknownId < 0)
        {
            throw new InvalidDataException("the model has no unknown piece (<unk>).");
        }

        if (_byteFallback && Array.IndexOf(_byteIds, -1) >= 0)
        {
            throw new InvalidDataException("byte_fallback is on but the model lacks some of the 256 byte pieces <0x00>..<0xFF>.");
        }
    }

    public int UnknownId => _unknownId;

    public int[] Encode(string normalized)
    {
        var symbols = InitialSymbols(normalized);
        var next = new int[symbols.Count];
        var previous = new int[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            previous[i] = i - 1;
            next[i] = i + 1 < symbols.Count ? i + 1 : -1;
        }

        // Max score first, then the leftmost; Size guards against pairs made stale by an earlier merge.
        var agenda = new PriorityQueue<(int Left, int Right, int Size), (float Score, int Left)>(
            Comparer<(float Score, int Left)>.Create((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Left.CompareTo(b.Left)));
        void TryAdd(int left, int right)
        {
            if (left < 0 || right < 0)
            {
                return;
            }

            var joined = symbols[left] + symbols[right];
            if (_pieceIds.TryGetValue(joined, out var id))
            {
                agenda.Enqueue((left, right, joined.Length), (_pieces[id].Score, left));
            }
        }

        for (var i = 1; i < symbols.Count; i++)
        {
            TryAdd(i - 1, i);
        }

        while (agenda.TryDequeue(out var pair, out _))
        {
            if (symbols[pair.Left].Length == 0 || symbols[pair.Right].Length == 0
                || symbols[pair.Left].Length + symbols[pair.Right].Length != pair.Size || next[pair.Left] != pair.Right)
            {
                continue;
            }

            symbols[pair.Left] += symbols[pair.Right];
            symbols[pair.Right] = "";
            next[pair.Left] = next[pair.Right];
            if (next[pair.Right] >= 0)
            {
                previous[next[pair.Right]] = pair.Left;
            }

            TryAdd(previous[pair.Left], pair.Left);
            TryAdd(pair.Left, next[pair.Left]);
        }

        var ids = new List<int>(symbols.Count);
        for (var i = symbols.Count > 0 ? 0 : -1; i >= 0; i = next[i])
        {
            if (_pieceIds.TryGetValue(symbols[i], out var id))
            {
                ids.Add(id);
            }
            else if (_byteFallback)
            {
                ids.AddRange(Encoding.UTF8.GetBytes(symbols[i]).Select(b => _byteIds[b]));
            }
            else if (ids.Count == 0 || ids[^1] != _unknownId)
            {
                // SentencePieceProcessor merges a run of unknown symbols into one <unk>.
                ids.Add(_unknownId);
            }
        }

        return [.. ids];
    }

    private List<string> InitialSymbols(string text)
    {
        var symbols = new List<string>(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var user = _userDefined.FirstOrDefault(p => p.Length > 0 && string.CompareOrdinal(text, position, p, 0, p.Length) == 0);
            var length = user?.Length ?? (char.IsSurrogatePair(text, position) ? 2 : 1);
            symbols.Add(text.Substring(position, length));
            position += length;
        }

        return symbols;
    }
}
