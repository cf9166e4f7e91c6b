using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Cache;

/// <summary>
/// A dataset opened from its cache: the content hash of the source files it was made from, and its splits. Disposing
/// unmaps the files (once no other handle of the process holds the same folder); views taken from it must not outlive it.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    public required PaperDataset Dataset { get; init; }

    /// <summary>SHA-256 (lower-case hex) over the source files' contents, in <see cref="Readers.DatasetLayout"/> order.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The cache folder it was mapped from.</summary>
    public required string Directory { get; init; }

    /// <summary>train, valid, test.</summary>
    public required IReadOnlyList<PreparedSplit> Splits { get; init; }

    /// <summary>This handle's reference to the process's mapping of <see cref="Directory"/> (set by <see cref="DatasetCache"/>).</summary>
    internal CacheLease? Lease { get; init; }

    public PreparedSplit this[string name] => Splits.Single(s => s.Name == name);

    public void Dispose() => Lease?.Dispose();

    /// <summary>A new handle on <paramref name="cache"/>, which must already hold a reference for it.</summary>
    internal static PreparedDataset Over(PaperDataset dataset, MappedCache cache)
    {
        var lease = new CacheLease(cache);
        var splits = cache.Manifest.Splits.Select((split, i) => new PreparedSplit
        {
            Name = split.Name,
            Count = split.N,
            AudioSteps = split.Audio.Steps,
            AudioDim = split.Audio.Width,
            VisionSteps = split.Vision.Steps,
            VisionDim = split.Vision.Width,
            Texts = split.Texts,
            Ids = split.Ids,
            AudioLengths = split.AudioLengths,
            VisionLengths = split.VisionLengths,
            Labels = split.Labels,
            Features = new SplitFeatures(lease, cache.Features[i].Audio, cache.Features[i].Vision),
        }).ToList();
        return new PreparedDataset { Dataset = dataset, ContentHash = cache.Manifest.Hash, Directory = cache.Folder, Splits = splits, Lease = lease };
    }
}

/// <summary>One handle's reference to a shared mapping: released once, however often the handle is disposed.</summary>
internal sealed class CacheLease(MappedCache cache) : IDisposable
{
    private int _disposed;

    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(PreparedDataset));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CacheMappings.Release(cache);
        }
    }
}
