using System.Collections.Concurrent;
using System.Globalization;
using MseLab.Datasets.Cache;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Stored;

/// <summary>
/// This machine's stored datasets: the data root they lie under (each lab machine keeps them at its own path) and the store
/// that hashes and maps them. Says whether a trial's pinned dataset is here (<see cref="Refusal"/>, asked before a worker
/// claims a trial) and opens it for the trial (<see cref="Open"/>).
/// </summary>
/// <param name="root">The data root, or null when none is configured.</param>
/// <param name="store">Hashes and opens the files (the dataset cache).</param>
public sealed class LocalDatasets(string? root, IDatasetStore store)
{
    // The last hash per dataset, with the fingerprint (path, size, mtime of every file) it belongs to: a consumer asks for
    // every message, and the files are hashed again only when they change.
    private readonly ConcurrentDictionary<PaperDataset, Fingerprinted> _hashes = new();

    /// <summary>The absolute data root, or null.</summary>
    public string? Root { get; } = string.IsNullOrWhiteSpace(root) ? null : Path.GetFullPath(root);

    /// <summary>The store the files are hashed and opened through.</summary>
    public IDatasetStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The datasets under <see cref="DataRoot.EnvironmentVariable"/> (or none), through the default cache.</summary>
    public static LocalDatasets FromEnvironment() => new(DataRoot.FromEnvironment()?.Path, new CachedDatasetStore());

    /// <summary>Maps <paramref name="dataset"/>; a pinned one only when the copy here has its hash. The caller disposes it.</summary>
    /// <exception cref="MissingDataRootException">No root is configured.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="DatasetFileException">A file is unusable, or the copy here has another hash.</exception>
    public PreparedDataset Open(StoredDatasetRef dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var folder = Root ?? throw MissingDataRootException.For([dataset.Label], sweepFile: null);
        return Store.Open(folder, dataset.Paper, dataset.ContentHash);
    }

    /// <summary>
    /// Why a trial on <paramref name="dataset"/> cannot run here (no root, files missing, another copy), or null when it
    /// can. Synthetic data always can. Files are hashed once per change; the answer otherwise costs a few file stats.
    /// </summary>
    public string? Refusal(DatasetRef dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset is not StoredDatasetRef stored)
        {
            return null;
        }

        if (Root is null)
        {
            return $"{stored.Label} is stored data and this worker has no data root (set --data-root, Worker:DataRoot or {DataRoot.EnvironmentVariable})";
        }

        var files = Store.Files(Root, stored.Paper).Select(f => new FileInfo(f)).ToList();
        var missing = files.Where(f => !f.Exists).Select(f => Path.GetRelativePath(Root, f.FullName)).ToList();
        if (missing.Count > 0)
        {
            return $"{stored.Label} is not under this worker's data root {Root}: missing {string.Join(", ", missing)}";
        }

        if (!stored.IsPinned)
        {
            return null;   // no hash to match (sweeps pin when submitted): the files are here
        }

        string hash;
        try
        {
            hash = HashOf(stored.Paper, files);
        }
        catch (IOException e)
        {
            return $"{stored.Label} under {Root} cannot be hashed here ({e.Message})";
        }

        return hash == stored.ContentHash ? null
            : $"this worker's copy of {stored.Label} under {Root} has content hash {hash}; the sweep was submitted with {stored.ContentHash}";
    }

    private string HashOf(PaperDataset dataset, List<FileInfo> files)
    {
        var fingerprint = string.Join('\n', files.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.FullName}|{f.Length}|{f.LastWriteTimeUtc.Ticks}")));
        var entry = _hashes.AddOrUpdate(
            dataset,
            _ => new Fingerprinted(fingerprint, Root!, Store),
            (_, known) => known.Fingerprint == fingerprint ? known : new Fingerprinted(fingerprint, Root!, Store));
        try
        {
            return entry.Hash(dataset);
        }
        catch
        {
            _hashes.TryRemove(new(dataset, entry));   // a failed hash is not remembered: the next message tries again
            throw;
        }
    }

    // One hash per fingerprint, computed by the first caller while the others for the same dataset wait for it.
    private sealed class Fingerprinted(string fingerprint, string root, IDatasetStore store)
    {
        private readonly Lock _gate = new();
        private string? _hash;

        public string Fingerprint { get; } = fingerprint;

        public string Hash(PaperDataset dataset)
        {
            lock (_gate)
            {
                return _hash ??= store.Hash(root, dataset);
            }
        }
    }
}
