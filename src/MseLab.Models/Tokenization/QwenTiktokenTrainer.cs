using System.Text;
using MseLab.Models.Tokenization.Unicode;

namespace MseLab.Models.Tokenization;

/// <summary>
/// Trains a small <c>qwen.tiktoken</c>: ranks 0..255 are the single bytes in GPT-2 order (as in the real file), then
/// byte-level merges learned over the words <see cref="QwenPreTokenizer"/> splits the NFC-normalised corpus into.
/// </summary>
/// <remarks>
/// Each step re-encodes every word with tiktoken's rule (merge the adjacent pair whose joined bytes have the lowest
/// rank, leftmost first) and adds the most frequent adjacent pair not yet a token; equal counts go to the pair of
/// lower ranks, so training is deterministic and the file encodes the corpus the way training saw it.
/// </remarks>
public static class QwenTiktokenTrainer
{
    /// <summary>
    /// Trains on <paramref name="corpus"/> and returns the tokens in rank order: at most <paramref name="rankCount"/>
    /// (at least 256), fewer when no pair is left to merge. Qwen's 208 specials come after these ranks.
    /// </summary>
    public static IReadOnlyList<byte[]> Train(IEnumerable<string> corpus, int rankCount)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentOutOfRangeException.ThrowIfLessThan(rankCount, 256);

        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in corpus)
        {
            foreach (var word in QwenPreTokenizer.Split(UnicodeNfc.Normalize(line ?? throw new ArgumentException("A corpus item is null.", nameof(corpus)))))
            {
                wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
            }
        }

        var tokens = ByteLevelNames.Gpt2ByteOrder.Select(b => new[] { b }).ToList();
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var rank = 0; rank < tokens.Count; rank++)
        {
            ranks[Key(tokens[rank])] = rank;
        }

        var words = wordCounts.OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => (Bytes: Encoding.UTF8.GetBytes(w.Key), w.Value)).ToArray();
        while (tokens.Count < rankCount)
        {
            var pairCounts = new Dictionary<(int, int), long>();
            foreach (var (bytes, count) in words)
            {
                var parts = Merge(bytes, ranks);
                for (var i = 1; i < parts.Count; i++)
                {
                    var pair = (ranks[Key(parts[i - 1])], ranks[Key(parts[i])]);
                    if (!ranks.ContainsKey(Key([.. parts[i - 1], .. parts[i]])))
                    {
                        pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + count;
                    }
                }
            }

            if (pairCounts.Count == 0)
            {
                break;
            }

            var best = pairCounts.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2).First().Key;
            byte[] merged = [.. tokens[best.Item1], .. tokens[best.Item2]];
            ranks[Key(merged)] = tokens.Count;
            tokens.Add(merged);
        }

        return tokens;
    }

    /// <summary>Trains as <see cref="Train"/> and writes <paramref name="path"/> (e.g. <c>DIR/qwen.tiktoken</c>).</summary>
    public static void TrainToFile(IEnumerable<string> corpus, int rankCount, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        QwenTiktokenFile.Write(path, Train(corpus, rankCount));
    }

    // tiktoken's byte-pair merge of one word (lowest rank first, leftmost among equals).
    private static List<byte[]> Merge(byte[] word, Dictionary<string, int> ranks)
    {
        var parts = word.Select(b => new[] { b }).ToList();
        while (parts.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 1; i < parts.Count; i++)
            {
                if (ranks.TryGetValue(Key([.. parts[i - 1], .. parts[i]]), out var rank) && rank < bestRank)
                {
                    (best, bestRank) = (i - 1, rank);
                }
            }

            if (best < 0)
            {
                break;
            }

            parts[best] = [.. parts[best], .. parts[best + 1]];
            parts.RemoveAt(best + 1);
        }

        return parts;
    }

    private static string Key(byte[] bytes) => Convert.ToBase64String(bytes);
}
