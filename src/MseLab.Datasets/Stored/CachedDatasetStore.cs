using MseLab.Datasets.Cache;
using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Stored;

/// <summary>The datasets of the official layout (<see cref="DatasetLayout"/>) through a <see cref="DatasetCache"/>.</summary>
/// <param name="cacheDirectory">The cache folder; null for <see cref="DatasetCache.Default"/>.</param>
public sealed class CachedDatasetStore(string? cacheDirectory = null) : IDatasetStore
{
    // Made on first use: a process that never touches stored data (synthetic sweeps, the API) never resolves a cache folder.
    private readonly Lazy<DatasetCache> _cache = new(() => cacheDirectory is null ? DatasetCache.Default : new DatasetCache(cacheDirectory));

    public IReadOnlyList<string> Files(string root, PaperDataset dataset) => DatasetLayout.Files(root, dataset);

    public string Hash(string root, PaperDataset dataset) => _cache.Value.Hash(root, dataset);

    public PreparedDataset Open(string root, PaperDataset dataset, string? expectedHash) => _cache.Value.Open(root, dataset, expectedHash);
}
