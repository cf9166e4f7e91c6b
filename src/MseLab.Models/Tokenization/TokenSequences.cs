namespace MseLab.Models.Tokenization;

/// <summary>Padding and truncation of id sequences the way Hugging Face tokenizers do it for MSE-Adapter.</summary>
public static class TokenSequences
{
    /// <summary>
    /// Hugging Face <c>padding='max_length', padding_side='left', truncation=True, max_length=length</c>:
    /// keeps the first <paramref name="length"/> ids (truncation side is right) and fills the front with
    /// <paramref name="padId"/> when shorter. Always returns a new array of exactly <paramref name="length"/> ids.
    /// </summary>
    public static int[] LeftPadOrTruncate(int[] ids, int length, int padId)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegative(length);

        var result = new int[length];
        if (ids.Length >= length)
        {
            Array.Copy(ids, result, length);
            return result;
        }

        var padCount = length - ids.Length;
        Array.Fill(result, padId, 0, padCount);
        Array.Copy(ids, 0, result, padCount, ids.Length);
        return result;
    }

    /// <summary>
    /// Hugging Face <c>padding=True</c> (pad to the longest) with <c>padding_side='left'</c>, as used for the
    /// label strings of one batch. Every row of the result has the length of the longest input.
    /// </summary>
    public static int[][] LeftPadToLongest(IReadOnlyList<int[]> sequences, int padId)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var longest = 0;
        for (var i = 0; i < sequences.Count; i++)
        {
            var row = sequences[i] ?? throw new ArgumentException($"Sequence {i} is null.", nameof(sequences));
            longest = Math.Max(longest, row.Length);
        }

        var result = new int[sequences.Count][];
        for (var i = 0; i < sequences.Count; i++)
        {
            result[i] = LeftPadOrTruncate(sequences[i], longest, padId);
        }

        return result;
    }
}
