using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Readers;

/// <summary>
/// Where each dataset's files lie under a data root, as the official configs build the paths (datasets.md §1):
/// <c>MOSEI/Processed/unaligned_50.pkl</c>, <c>SIMS_V2/ch-simsv2s.pkl</c>, <c>MELD/meld_{train,valid,test}.pkl</c>,
/// <c>CHERMA0723/cherma_{train,valid,test}.pkl</c>, <c>MOSI/Processed/unaligned_50.pkl</c>, <c>SIMS/Processed/unaligned_39.pkl</c>.
/// </summary>
public static class DatasetLayout
{
    // CONTRACT (helper "readers" implements).

    /// <summary>The files of <paramref name="dataset"/>, relative to the data root, in a fixed order.</summary>
    public static IReadOnlyList<string> RelativeFiles(PaperDataset dataset) => throw new NotImplementedException();

    /// <summary>The absolute paths of <paramref name="dataset"/>'s files under <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Files(string root, PaperDataset dataset) =>
        [.. RelativeFiles(dataset).Select(f => Path.GetFullPath(Path.Combine(root, f)))];

    /// <summary>A readable description of the expected layout under <paramref name="root"/> (for errors).</summary>
    public static string Describe(string root, PaperDataset dataset) => throw new NotImplementedException();
}
