using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Cache;

/// <summary>
/// Where a dataset comes from, for <see cref="DatasetCache"/>: its files (relative to the root, in layout order), how to
/// read them and how to describe the expected layout. The official layout and readers in production; tests give their own.
/// </summary>
internal sealed record DatasetOrigin(
    string Root, PaperDataset Dataset, IReadOnlyList<string> RelativeFiles, Func<DatasetSource> Read, Func<string> DescribeLayout)
{
    public PaperDatasetInfo Info => PaperDatasets.Info(Dataset);

    public static DatasetOrigin Official(string root, PaperDataset dataset)
    {
        var fullRoot = Path.GetFullPath(root);
        return new DatasetOrigin(
            fullRoot, dataset, DatasetLayout.RelativeFiles(dataset), () => DatasetReaders.Open(fullRoot, dataset), () => DatasetLayout.Describe(fullRoot, dataset));
    }

    public string FullPath(string relative) => Path.GetFullPath(Path.Combine(Root, relative));
}
