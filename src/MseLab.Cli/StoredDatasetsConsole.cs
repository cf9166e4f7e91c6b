using MseLab.Datasets.Stored;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;
using Spectre.Console;

namespace MseLab.Cli;

/// <summary>Pins a sweep's stored datasets (<see cref="SweepDatasets"/>) through the default dataset cache, saying what it hashes and what it found.</summary>
internal static class StoredDatasetsConsole
{
    /// <summary>See <see cref="SweepDatasets.Pin(SweepDefinition, DataRoot?, IDatasetStore, bool)"/>; prints each dataset it hashed.</summary>
    public static SweepDefinition Pin(SweepDefinition sweep, DataRoot? root, bool verifyPinned)
    {
        var toHash = sweep.Datasets.OfType<StoredDatasetRef>().Where(d => !d.IsPinned || verifyPinned).ToList();
        if (toHash.Count > 0 && root is not null)
        {
            // The first hash of a dataset reads all of its files (gigabytes); the cache remembers it while they do not change.
            AnsiConsole.MarkupLineInterpolated($"Hashing {string.Join(", ", toHash.Select(d => d.Label).Distinct())} under {root.Path} ({root.Origin}) ...");
        }

        var pinned = SweepDatasets.Pin(sweep, root, new CachedDatasetStore(), verifyPinned);
        foreach (var dataset in pinned.Datasets.OfType<StoredDatasetRef>().Distinct())
        {
            AnsiConsole.MarkupLineInterpolated($"  {dataset.Label}: content hash {dataset.ContentHash}");
        }

        return pinned;
    }
}
