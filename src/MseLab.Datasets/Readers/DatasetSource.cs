using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Readers;

/// <summary>A dataset read from its official files under a data root: the files it came from and its three splits in order train, valid, test.</summary>
public sealed record DatasetSource(PaperDataset Dataset, string Root, IReadOnlyList<string> Files, IReadOnlyList<SourceSplit> Splits)
{
    public PaperDatasetInfo Info => PaperDatasets.Info(Dataset);
}
