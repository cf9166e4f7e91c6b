using System.Text;

namespace MseLab.Models.Tokenization;

/// <summary>
/// Learns SentencePiece-style BPE pieces and merges over words that each start with "▁".
/// </summary>
/// <remarks>
/// After every merge each affected word is re-encoded with all merges so far, lowest rank first and leftmost
/// first, which is exactly how Hugging Face's BPE model encodes. The training state therefore always equals
/// what the written tokenizer produces, and no pair can be learned twice.
/// </remarks>
internal sealed class BpeMergeLearner
{
    private const int Barrier = -1; // a character left out of the alphabet: byte fallback, never merged

    private readonly List<string> _pieces = [];
    private readonly Dictionary<string, int> _pieceIds = new(StringComparer.Ordinal);
    private readonly List<(string Left, string Right)> _merges = [];
    private readonly Dictionary<(int, int), (int Rank, int Merged)> _mergeRanks = [];
    private readonly List<int[]> _words = [];
    private readonly List<long> _wordCounts = [];
    private readonly Dictionary<(int, int), long> _pairCounts = [];
    private readonly Dictionary<(int, int), HashSet<int>> _pairWords = [];
    private readonly HashSet<(int, int)> _forbidden = [];
    private readonly HashSet<string> _reserved;

    private BpeMergeLearner(IEnumerable<string> reserved)
    {
        _reserved = new HashSet<string>(reserved, StringComparer.Ordinal);
    }

    /// <summary>Alphabet pieces first (most frequent first), then the pieces merges created, in merge order.</summary>
    public IReadOnlyList<string> Pieces => _pieces;

    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    /// <param name="wordCounts">Normalised words ("▁" + characters) and how often each occurs.</param>
    /// <param name="requiredCharacters">Single-character pieces that must exist even if unseen.</param>
    /// <param name="pieceBudget">How many pieces (alphabet plus merged) may be created.</param>
    /// <param name="reserved">Vocabulary names taken already (specials, byte pieces): never created by a merge.</param>
    public static BpeMergeLearner Learn(
        IReadOnlyDictionary<string, long> wordCounts, IReadOnlyList<string> requiredCharacters, int pieceBudget,
        IEnumerable<string> reserved)
    {
        var learner = new BpeMergeLearner(reserved);
        learner.ChooseAlphabet(wordCounts, requiredCharacters, pieceBudget);
        learner.IndexWords(wordCounts);
        while (learner._pieces.Count < pieceBudget && learner.TryBestPair(out var pair))
        {
            learner.Merge(pair);
        }

        return learner;
    }

    private void ChooseAlphabet(IReadOnlyDictionary<string, long> wordCounts, IReadOnlyList<string> required, int budget)
    {
        var frequency = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (word, count) in wordCounts)
        {
            foreach (var rune in word.EnumerateRunes())
            {
                var text = rune.ToString();
                frequency[text] = frequency.GetValueOrDefault(text) + count;
            }
        }

        var chosen = new HashSet<string>(required, StringComparer.Ordinal);
        var others = frequency.Keys.Where(c => !chosen.Contains(c))
            .OrderByDescending(c => frequency[c]).ThenBy(c => c, StringComparer.Ordinal)
            .Take(Math.Max(0, budget - chosen.Count));
        chosen.UnionWith(others);

        foreach (var piece in chosen.OrderByDescending(c => frequency.GetValueOrDefault(c)).ThenBy(c => c, StringComparer.Ordinal))
        {
            AddPiece(piece);
        }
    }

    private void IndexWords(IReadOnlyDictionary<string, long> wordCounts)
    {
        // Sorted so that word indices (and hence nothing observable, but debugging) are stable.
        foreach (var (word, count) in wordCounts.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            var symbols = word.EnumerateRunes()
                .Select(r => _pieceIds.TryGetValue(r.ToString(), out var id) ? id : Barrier)
                .ToArray();
            _words.Add(symbols);
            _wordCounts.Add(count);
            AddPairs(_words.Count - 1, +1);
        }
    }

    // Highest count wins; equal counts go to the ordinally smaller left piece, then right piece.
    private bool TryBestPair(out (int Left, int Right) best)
    {
        best = default;
        long bestCount = 0;
        foreach (var (pair, count) in _pairCounts)
        {
            if (count <= 0)
            {
                continue;
            }

            if (count > bestCount || (count == bestCount && ComparePairs(pair, best) < 0))
            {
                best = pair;
                bestCount = count;
            }
        }

        return bestCount > 0;
    }

    private int ComparePairs((int Left, int Right) a, (int Left, int Right) b)
    {
        var left = string.CompareOrdinal(_pieces[a.Left], _pieces[b.Left]);
        return left != 0 ? left : string.CompareOrdinal(_pieces[a.Right], _pieces[b.Right]);
    }

    private void Merge((int Left, int Right) pair)
    {
        var mergedText = _pieces[pair.Left] + _pieces[pair.Right];
        // A reserved name, e.g. "<s" + ">" from a corpus that mentions "<s>", belongs to a special token. Digits never
        // merge (LLaMA-2's SentencePiece model is trained with split_digits): "-1.2" is "▁-", "1", ".", "2", which is
        // why the paper generates 4 tokens for a regression label and 2 ("▁", "3") for a class.
        if (_reserved.Contains(mergedText) || mergedText.Any(char.IsAsciiDigit))
        {
            _forbidden.Add(pair);
            _pairCounts.Remove(pair);
            return;
        }

        if (!_pieceIds.TryGetValue(mergedText, out var merged))
        {
            merged = AddPiece(mergedText);
        }

        _mergeRanks[pair] = (_merges.Count, merged);
        _merges.Add((_pieces[pair.Left], _pieces[pair.Right]));

        foreach (var wordIndex in _pairWords[pair].ToArray())
        {
            if (!Contains(_words[wordIndex], pair))
            {
                continue; // stale index entry: the word lost this pair in an earlier merge
            }

            AddPairs(wordIndex, -1);
            _words[wordIndex] = Encode(_words[wordIndex]);
            AddPairs(wordIndex, +1);
        }

        _pairCounts.Remove(pair);
    }

    // Hugging Face BPE: repeatedly merge the adjacent pair of lowest rank, leftmost first.
    private int[] Encode(int[] symbols)
    {
        var list = new List<int>(symbols);
        while (true)
        {
            var bestPosition = -1;
            var bestRank = int.MaxValue;
            var bestMerged = 0;
            for (var i = 0; i + 1 < list.Count; i++)
            {
                if (_mergeRanks.TryGetValue((list[i], list[i + 1]), out var merge) && merge.Rank < bestRank)
                {
                    (bestPosition, bestRank, bestMerged) = (i, merge.Rank, merge.Merged);
                }
            }

            if (bestPosition < 0)
            {
                return [.. list];
            }

            list[bestPosition] = bestMerged;
            list.RemoveAt(bestPosition + 1);
        }
    }

    private void AddPairs(int wordIndex, int sign)
    {
        var symbols = _words[wordIndex];
        var count = _wordCounts[wordIndex];
        for (var i = 0; i + 1 < symbols.Length; i++)
        {
            if (symbols[i] == Barrier || symbols[i + 1] == Barrier)
            {
                continue;
            }

            var pair = (symbols[i], symbols[i + 1]);
            if (_forbidden.Contains(pair))
            {
                continue;
            }

            _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + (sign * count);
            if (sign > 0)
            {
                if (!_pairWords.TryGetValue(pair, out var words))
                {
                    _pairWords[pair] = words = [];
                }

                words.Add(wordIndex);
            }
        }
    }

    private static bool Contains(int[] symbols, (int Left, int Right) pair)
    {
        for (var i = 0; i + 1 < symbols.Length; i++)
        {
            if (symbols[i] == pair.Left && symbols[i + 1] == pair.Right)
            {
                return true;
            }
        }

        return false;
    }

    private int AddPiece(string piece)
    {
        _pieceIds.Add(piece, _pieces.Count);
        _pieces.Add(piece);
        return _pieces.Count - 1;
    }

    /// <summary>Splits one corpus line, normalised like LLaMA-2 ("▁" prepended, spaces to "▁"), into words.</summary>
    public static IEnumerable<string> NormalizedWords(string line, char boundary)
    {
        if (line.Length == 0)
        {
            yield break;
        }

        var normalized = boundary + line.Replace(' ', boundary);
        var word = new StringBuilder();
        foreach (var c in normalized)
        {
            if (c == boundary && word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }

            word.Append(c);
        }

        yield return word.ToString();
    }
}
