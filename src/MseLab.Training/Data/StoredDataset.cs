using MseLab.Datasets.Cache;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Datasets;

namespace MseLab.Training.Data;

/// <summary>
/// A stored dataset as trial samples: the prepared (memory-mapped) cache, each sample's features a view into it, so the
/// trials of a machine share one copy through the page cache and a trial copies features only into its batch tensors.
/// </summary>
public static class StoredDataset
{
    private static readonly string[] SplitNames = ["train", "valid", "test"];

    /// <summary>Maps <paramref name="dataset"/> from <paramref name="local"/>; the result owns the mapping.</summary>
    public static MultimodalDataset Open(StoredDatasetRef dataset, LocalDatasets local)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(local);
        var prepared = local.Open(dataset);
        try
        {
            return FromPrepared(prepared, dataset.Info);
        }
        catch
        {
            prepared.Dispose();
            throw;
        }
    }

    /// <summary>The samples of <paramref name="prepared"/>, which the result owns (disposing it unmaps the files).</summary>
    public static MultimodalDataset FromPrepared(PreparedDataset prepared, PaperDatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var splits = SplitNames.Select(name => Samples(prepared[name])).ToList();
        return new MultimodalDataset(info, splits[0], splits[1], splits[2]) { SourceHash = prepared.ContentHash, Owner = prepared };
    }

    private static List<MultimodalSample> Samples(PreparedSplit split)
    {
        var samples = new List<MultimodalSample>(split.Count);
        for (var i = 0; i < split.Count; i++)
        {
            // MELD and CHERMA have no ids: the split and index name the sample, as the synthetic data's ids do.
            var id = split.Ids?[i] ?? $"{split.Name}-{i}";
            samples.Add(new MultimodalSample(id, split.Texts[i], split.Audio(i), split.AudioLengths[i], split.Vision(i), split.VisionLengths[i], split.Labels[i]));
        }

        return samples;
    }
}
