using System.Globalization;
using System.Text;

namespace MseLab.Models.Tokenization;

/// <summary>
/// Qwen-1's <c>qwen.tiktoken</c>: one line <c>base64(bytes) rank</c> per mergeable token; the rank is the token id
/// (<c>_load_tiktoken_bpe</c>, l.48-54 of <c>tokenization_qwen.py</c>). MseLab requires ranks 0..n-1, each once.
/// </summary>
public static class QwenTiktokenFile
{
    /// <summary>The file name in a Qwen-1 checkpoint folder.</summary>
    public const string FileName = "qwen.tiktoken";

    /// <summary>The tokens of <paramref name="path"/> in rank order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A malformed line, or ranks that are not 0..n-1; the message names the file and line.</exception>
    public static byte[][] Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Qwen tokenizer file '{path}' does not exist.", path);
        }

        var byRank = new SortedDictionary<int, byte[]>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rank))
            {
                throw Bad(path, lineNumber, "expected 'base64 rank'");
            }

            byte[] token;
            try
            {
                token = Convert.FromBase64String(parts[0]);
            }
            catch (FormatException)
            {
                throw Bad(path, lineNumber, $"'{parts[0]}' is not base64");
            }

            if (token.Length == 0 || !byRank.TryAdd(rank, token))
            {
                throw Bad(path, lineNumber, token.Length == 0 ? "an empty token" : $"rank {rank} appears twice");
            }
        }

        if (byRank.Count == 0 || byRank.Keys.Last() != byRank.Count - 1)
        {
            throw new InvalidDataException(
                $"'{path}' has {byRank.Count} tokens but its ranks are not 0..{byRank.Count - 1}: Qwen numbers its special tokens right after the ranks, so they must be contiguous. Use the checkpoint's own qwen.tiktoken.");
        }

        return [.. byRank.Values];
    }

    /// <summary>Writes <paramref name="tokens"/> (token i has rank i) to <paramref name="path"/> in tiktoken's format.</summary>
    public static void Write(string path, IReadOnlyList<byte[]> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var text = new StringBuilder();
        for (var rank = 0; rank < tokens.Count; rank++)
        {
            text.Append(Convert.ToBase64String(tokens[rank])).Append(' ').Append(rank.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static InvalidDataException Bad(string path, int line, string what) =>
        new($"'{path}' line {line}: {what}. A qwen.tiktoken line is the base64 of a token's bytes, a space and its rank.");
}
