using MseLab.Experiments.Datasets;

namespace MseLab.Store;

/// <summary>
/// A dataset's name from its stored text, read as text so that it works for every kind of reference: a stored dataset
/// (<c>mosei</c>, or <c>mosei@HASH</c> pinned to a copy) gives <c>mosei</c>; synthetic data keeps its prefix
/// (<c>synthetic:mosei?train=64</c> gives <c>synthetic:mosei</c>), since it is not the dataset it imitates.
/// </summary>
public static class DatasetNames
{
    /// <summary>The name part of <paramref name="text"/>: before any <c>@</c> pin or <c>?</c> parameters.</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = text.AsSpan().IndexOfAny('@', '?');
        return (end < 0 ? text : text[..end]).Trim().ToLowerInvariant();
    }

    /// <summary>True for a synthetic dataset's name or text (<c>synthetic:...</c>).</summary>
    public static bool IsSynthetic(string text) => text.StartsWith(SyntheticDatasetRef.Prefix, StringComparison.OrdinalIgnoreCase);
}
