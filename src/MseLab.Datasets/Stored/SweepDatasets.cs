using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;

namespace MseLab.Datasets.Stored;

/// <summary>
/// Pins stored datasets to their content hash when a sweep (or a single trial) is submitted: the hash enters the trial's
/// configuration and so its key, and workers run the trial only on a copy with that hash. Before expansion, so that the
/// cells of a sweep are the cells of the data it was submitted with.
/// </summary>
public static class SweepDatasets
{
    /// <summary>
    /// <paramref name="sweep"/> with every unpinned stored dataset pinned to the hash of its files under
    /// <paramref name="root"/>. With <paramref name="verifyPinned"/>, datasets pinned in the file are checked against that
    /// copy too (a sweep that runs here, on the embedded cluster, must find its data here). Synthetic datasets, and a sweep
    /// with nothing to hash, need no root.
    /// </summary>
    /// <exception cref="MissingDataRootException">Something must be hashed and <paramref name="root"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The root is not a folder.</exception>
    /// <exception cref="FileNotFoundException">A dataset's file is missing under the root.</exception>
    /// <exception cref="DatasetFileException">With <paramref name="verifyPinned"/>: a pinned dataset's copy here has another hash.</exception>
    public static SweepDefinition Pin(SweepDefinition sweep, DataRoot? root, IDatasetStore store, bool verifyPinned = false)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var pinned = Pin(sweep.Datasets, root, store, verifyPinned, sweep.File);
        return ReferenceEquals(pinned, sweep.Datasets) ? sweep : sweep with { Datasets = pinned };
    }

    /// <summary>One trial's dataset, pinned as <see cref="Pin(SweepDefinition, DataRoot?, IDatasetStore, bool)"/> pins a sweep's (a pinned one is left as it is: opening it checks the hash).</summary>
    public static DatasetRef Pin(DatasetRef dataset, DataRoot? root, IDatasetStore store) =>
        Pin([dataset], root, store, verifyPinned: false, sweepFile: null)[0];

    private static IReadOnlyList<DatasetRef> Pin(IReadOnlyList<DatasetRef> datasets, DataRoot? root, IDatasetStore store, bool verifyPinned, string? sweepFile)
    {
        ArgumentNullException.ThrowIfNull(store);
        var toHash = datasets.OfType<StoredDatasetRef>().Where(d => !d.IsPinned || verifyPinned).Select(d => d.Paper).Distinct().ToList();
        if (toHash.Count == 0)
        {
            return datasets;
        }

        if (root is null)
        {
            throw MissingDataRootException.For(toHash.Select(d => PaperDatasets.Info(d).Name), sweepFile);
        }

        var folder = root.RequireFolder();
        var hashes = toHash.ToDictionary(d => d, d => store.Hash(folder, d));
        return [.. datasets.Select(d => d switch
        {
            StoredDatasetRef { IsPinned: false } stored => stored.Pin(hashes[stored.Paper]),
            StoredDatasetRef { ContentHash: { } pin } stored when verifyPinned && hashes[stored.Paper] != pin => throw new DatasetFileException(
                $"{stored.Label} under {folder} ({root.Origin}) has content hash {hashes[stored.Paper]}, but {sweepFile ?? "the trial"} pins {pin}. " +
                $"Point {DataRoot.Option} at the copy with that hash, or write '{stored.Label}' unpinned to run on this copy (new cells)."),
            _ => d,
        })];
    }
}
