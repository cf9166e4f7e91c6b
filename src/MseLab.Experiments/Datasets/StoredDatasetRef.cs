using System.Diagnostics.CodeAnalysis;

namespace MseLab.Experiments.Datasets;

/// <summary>
/// A paper dataset's published files, in the official folder layout under a data root. Unpinned (<c>mosei</c>) it means
/// whatever copy a root holds; a sweep pins it when it is submitted (<c>mosei@SHA256</c>: the SHA-256 of the files'
/// contents in layout order), so that a trial is identified by the data it runs on, and runs only on a copy with that
/// hash: another copy is another cell.
/// </summary>
public sealed record StoredDatasetRef : DatasetRef
{
    /// <summary>Separates the name from the content hash in the text form.</summary>
    public const char HashSeparator = '@';

    /// <summary>Hex digits of a SHA-256.</summary>
    public const int HashLength = 64;

    /// <param name="paper">Which paper dataset.</param>
    /// <param name="contentHash">The SHA-256 (64 hex digits, any case; kept in lower case) of its files, or null (unpinned).</param>
    /// <exception cref="ArgumentException"><paramref name="contentHash"/> is not 64 hex digits.</exception>
    public StoredDatasetRef(PaperDataset paper, string? contentHash = null)
    {
        if (contentHash is not null && HashError(contentHash) is { } error)
        {
            throw new ArgumentException(error, nameof(contentHash));
        }

        Paper = paper;
        ContentHash = contentHash?.ToLowerInvariant();
    }

    public override PaperDataset Paper { get; }

    /// <summary>The SHA-256 (lower-case hex) of the files the dataset must have, or null while unpinned.</summary>
    public string? ContentHash { get; }

    /// <summary>Whether a content hash is fixed.</summary>
    [MemberNotNullWhen(true, nameof(ContentHash))]
    public bool IsPinned => ContentHash is not null;

    /// <summary>The dataset's name (<c>mosei</c>), without the hash.</summary>
    public override string Label => Info.Name;

    /// <summary>This dataset pinned to <paramref name="contentHash"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="contentHash"/> is not 64 hex digits.</exception>
    public StoredDatasetRef Pin(string contentHash) => new(Paper, contentHash);

    public override string ToString() => IsPinned ? $"{Label}{HashSeparator}{ContentHash}" : Label;

    internal static bool TryParseText(string text, [NotNullWhen(true)] out DatasetRef? dataset, [NotNullWhen(false)] out string? error)
    {
        dataset = null;
        var at = text.IndexOf(HashSeparator, StringComparison.Ordinal);
        var name = at < 0 ? text : text[..at];
        if (!PaperDatasets.TryParse(name, out var paper))
        {
            error = $"Dataset '{text}' is not known: {Forms}.";
            return false;
        }

        if (at < 0)
        {
            (dataset, error) = (new StoredDatasetRef(paper), null);
            return true;
        }

        var hash = text[(at + 1)..].Trim();
        if (HashError(hash) is { } hashError)
        {
            error = $"Dataset '{text}': {hashError}";
            return false;
        }

        (dataset, error) = (new StoredDatasetRef(paper, hash), null);
        return true;
    }

    private static string? HashError(string hash) =>
        hash.Length == HashLength && hash.All(char.IsAsciiHexDigit) ? null
        : $"the content hash after '{HashSeparator}' must be a SHA-256, {HashLength} hex digits, not '{hash}' ({hash.Length} characters). " +
          "Leave it out to pin the dataset when the sweep is submitted, or copy it from `mselab sweep validate FILE --data-root DIR`.";
}
