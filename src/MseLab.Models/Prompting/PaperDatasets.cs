namespace MseLab.Models.Prompting;

/// <summary>The four paper data sets' <see cref="PaperDatasetInfo"/>.</summary>
public static class PaperDatasets
{
    private static readonly PaperDatasetInfo MoseiInfo = new(PaperDataset.Mosei, 50, false, PromptLanguage.English, []);

    private static readonly PaperDatasetInfo SimsV2Info = new(PaperDataset.SimsV2, 50, false, PromptLanguage.Chinese, []);

    private static readonly PaperDatasetInfo MeldInfo = new(PaperDataset.Meld, 65, true, PromptLanguage.English,
        ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"]);

    private static readonly PaperDatasetInfo ChermaInfo = new(PaperDataset.Cherma, 78, true, PromptLanguage.Chinese,
        ["愤怒", "厌恶", "恐惧", "高兴", "平静", "悲伤", "惊奇"]);

    /// <summary>All four, in enum order.</summary>
    public static IReadOnlyList<PaperDatasetInfo> All { get; } = [MoseiInfo, SimsV2Info, MeldInfo, ChermaInfo];

    /// <summary>The facts for <paramref name="dataset"/>.</summary>
    public static PaperDatasetInfo Info(PaperDataset dataset) => dataset switch
    {
        PaperDataset.Mosei => MoseiInfo,
        PaperDataset.SimsV2 => SimsV2Info,
        PaperDataset.Meld => MeldInfo,
        PaperDataset.Cherma => ChermaInfo,
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "Unknown paper data set."),
    };
}
