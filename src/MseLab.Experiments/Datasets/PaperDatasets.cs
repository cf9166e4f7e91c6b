using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Datasets;

/// <summary>The four paper datasets' <see cref="PaperDatasetInfo"/>: one table, the only place these numbers live.</summary>
public static class PaperDatasets
{
    // CMU-MOSEI unaligned_50 (MMSA): COVAREP 500x74, Facet 500x35, labels in [-3, 3].
    private static readonly PaperDatasetInfo MoseiInfo = new(
        PaperDataset.Mosei, "mosei", TaskKind.Regression, MetricsTask.Mosei, PromptLanguage.English, 50, 500, 74, 500, 35, 3f, []);

    // CH-SIMS v2 (s): 925x25 audio, 232x177 vision, labels in [-1, 1].
    private static readonly PaperDatasetInfo SimsV2Info = new(
        PaperDataset.SimsV2, "simsv2", TaskKind.Regression, MetricsTask.SimsV2, PromptLanguage.Chinese, 50, 925, 25, 232, 177, 1f, []);

    // MELD (author pickles): 157x64 audio, 32x64 video, 7 emotions.
    private static readonly PaperDatasetInfo MeldInfo = new(
        PaperDataset.Meld, "meld", TaskKind.Classification, MetricsTask.Meld, PromptLanguage.English, 65, 157, 64, 32, 64, 0f,
        ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"]);

    // CHERMA 0723 (author pickles): 543x1024 audio, 16x2048 video, 7 emotions.
    private static readonly PaperDatasetInfo ChermaInfo = new(
        PaperDataset.Cherma, "cherma", TaskKind.Classification, MetricsTask.Cherma, PromptLanguage.Chinese, 78, 543, 1024, 16, 2048, 0f,
        ["愤怒", "厌恶", "恐惧", "高兴", "平静", "悲伤", "惊奇"]);

    /// <summary>All four, in enum order.</summary>
    public static IReadOnlyList<PaperDatasetInfo> All { get; } = [MoseiInfo, SimsV2Info, MeldInfo, ChermaInfo];

    /// <summary>The dataset names, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(i => i.Name)];

    /// <summary>The facts for <paramref name="dataset"/>.</summary>
    public static PaperDatasetInfo Info(PaperDataset dataset) => dataset switch
    {
        PaperDataset.Mosei => MoseiInfo,
        PaperDataset.SimsV2 => SimsV2Info,
        PaperDataset.Meld => MeldInfo,
        PaperDataset.Cherma => ChermaInfo,
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
