using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Cache;

/// <summary>
/// A dataset opened from its cache: the content hash of the source files it was made from, and its splits. Disposing
/// unmaps the files; views taken from it must not outlive it.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    // CONTRACT (helper "cache" implements).

    public required PaperDataset Dataset { get; init; }

    /// <summary>SHA-256 (lower-case hex) over the source files' contents, in <see cref="Readers.DatasetLayout"/> order.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The cache folder it was mapped from.</summary>
    public required string Directory { get; init; }

    /// <summary>train, valid, test.</summary>
    public required IReadOnlyList<PreparedSplit> Splits { get; init; }

    public PreparedSplit this[string name] => Splits.Single(s => s.Name == name);

    public void Dispose() => throw new NotImplementedException();
}
