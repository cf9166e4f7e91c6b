using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Cache;

/// <summary>
/// The dataset under a data root is not the copy that was asked for (its content hash differs from the expected one, e.g.
/// the hash recorded when a sweep was submitted). Nothing was prepared or mapped.
/// </summary>
public sealed class DatasetHashMismatchException(string root, PaperDataset dataset, string expectedHash, string actualHash)
    : DatasetFileException(
        $"The {PaperDatasets.Info(dataset).Name} files under {root} have content hash {actualHash}, not the expected {expectedHash}: "
        + "this is a different copy of the dataset. Put the same files there (or run against the copy the hash came from).")
{
    public string Root { get; } = root;

    public PaperDataset Dataset { get; } = dataset;

    public string ExpectedHash { get; } = expectedHash;

    public string ActualHash { get; } = actualHash;
}
