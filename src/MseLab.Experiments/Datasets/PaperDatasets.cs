using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Datasets;

/// <summary>The datasets' <see cref="PaperDatasetInfo"/> (the paper's four, MOSI and SIMS): one table, the only place these numbers live.</summary>
public static class PaperDatasets
{
    // CMU-MOSEI unaligned_50 (MMSA): COVAREP 500x74, Facet 500x35, labels in [-3, 3].
    private static readonly PaperDatasetInfo MoseiInfo = new(
        PaperDataset.Mosei, "mosei", TaskKind.Regression, MetricsTask.Mosei, PromptLanguage.English, 50, 500, 74, 500, 35, 3f, [], PaperDataset.Mosei);

    // CH-SIMS v2 (s): 925x25 audio, 232x177 vision, labels in [-1, 1].
    private static readonly PaperDatasetInfo SimsV2Info = new(
        PaperDataset.SimsV2, "simsv2", TaskKind.Regression, MetricsTask.SimsV2, PromptLanguage.Chinese, 50, 925, 25, 232, 177, 1f, [], PaperDataset.SimsV2);

    // MELD (author pickles): 157x64 audio, 32x64 video, 7 emotions.
    private static readonly PaperDatasetInfo MeldInfo = new(
        PaperDataset.Meld, "meld", TaskKind.Classification, MetricsTask.Meld, PromptLanguage.English, 65, 157, 64, 32, 64, 0f,
        ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"], PaperDataset.Meld);

    // CHERMA 0723 (author pickles): 543x1024 audio, 16x2048 video, 7 emotions.
    private static readonly PaperDatasetInfo ChermaInfo = new(
        PaperDataset.Cherma, "cherma", TaskKind.Classification, MetricsTask.Cherma, PromptLanguage.Chinese, 78, 543, 1024, 16, 2048, 0f,
        ["愤怒", "厌恶", "恐惧", "高兴", "平静", "悲伤", "惊奇"], PaperDataset.Cherma);

    // CMU-MOSI unaligned_50 (MMSA): 375x5 audio, 500x20 vision, labels in [-3, 3]; MOSEI's prompts and hyperparameters.
    private static readonly PaperDatasetInfo MosiInfo = new(
        PaperDataset.Mosi, "mosi", TaskKind.Regression, MetricsTask.Mosi, PromptLanguage.English, 50, 375, 5, 500, 20, 3f, [], PaperDataset.Mosei);

    // CH-SIMS unaligned_39 (MMSA): 400x33 audio, 55x709 vision, labels in [-1, 1]; SIMS-V2's prompts and hyperparameters.
    private static readonly PaperDatasetInfo SimsInfo = new(
        PaperDataset.Sims, "sims", TaskKind.Regression, MetricsTask.Sims, PromptLanguage.Chinese, 39, 400, 33, 55, 709, 1f, [], PaperDataset.SimsV2);

    /// <summary>All six (the paper's four, then MOSI and SIMS), in enum order.</summary>
    public static IReadOnlyList<PaperDatasetInfo> All { get; } = [MoseiInfo, SimsV2Info, MeldInfo, ChermaInfo, MosiInfo, SimsInfo];

    /// <summary>The paper's four, in enum order.</summary>
    public static IReadOnlyList<PaperDatasetInfo> InPaper { get; } = [.. All.Where(i => i.InPaper)];

    /// <summary>The dataset names, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(i => i.Name)];

    /// <summary>The facts for <paramref name="dataset"/>.</summary>
    public static PaperDatasetInfo Info(PaperDataset dataset) => dataset switch
    {
        PaperDataset.Mosei => MoseiInfo,
        PaperDataset.SimsV2 => SimsV2Info,
        PaperDataset.Meld => MeldInfo,
        PaperDataset.Cherma => ChermaInfo,
        PaperDataset.Mosi => MosiInfo,
        PaperDataset.Sims => SimsInfo,
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "Unknown paper data set."),
    };

    /// <summary>The dataset named <paramref name="name"/> (case-insensitive); false when no dataset has that name.</summary>
    public static bool TryParse(string? name, out PaperDataset dataset)
    {
        var info = All.FirstOrDefault(i => string.Equals(i.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        dataset = info?.Dataset ?? default;
        return info is not null;
    }

    /// <summary>The dataset named <paramref name="name"/>; the error lists the valid names.</summary>
    /// <exception cref="ArgumentException">No dataset has that name.</exception>
    public static PaperDataset Parse(string name) =>
        TryParse(name, out var dataset) ? dataset
        : throw new ArgumentException($"Unknown dataset '{name}'. Valid datasets: {string.Join(", ", Names)}.", nameof(name));
}
