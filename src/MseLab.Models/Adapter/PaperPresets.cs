using System.Diagnostics.CodeAnalysis;

namespace MseLab.Models.Adapter;

/// <summary>
/// The twelve official backbone x dataset configurations, keyed by the CLI names. The values are data transcribed from
/// the official configs (spec sections 1.5, 1.10, 3 and 5.2); the trainable-parameter tests check them against the
/// authors' logged counts.
/// </summary>
public static class PaperPresets
{
    /// <summary>Backbone CLI names, in the order of the spec's tables.</summary>
    public static IReadOnlyList<string> Backbones { get; } = ["llama2-7b", "qwen-1.8b", "chatglm3-6b-base"];

    /// <summary>Dataset CLI names, in the order of the spec's tables.</summary>
    public static IReadOnlyList<string> Datasets { get; } = ["mosei", "simsv2", "meld", "cherma"];

    // D per backbone.
    private static readonly Dictionary<string, int> HiddenSizes = new(StringComparer.Ordinal)
    {
        ["llama2-7b"] = 4096,
        ["qwen-1.8b"] = 2048,
        ["chatglm3-6b-base"] = 4096,
    };

    // Per dataset: audio width, video width, text length L, task.
    private static readonly Dictionary<string, DatasetFacts> DatasetTable = new(StringComparer.Ordinal)
    {
        ["mosei"] = new(74, 35, 50, PaperTaskKind.Regression),
        ["simsv2"] = new(25, 177, 50, PaperTaskKind.Regression),
        ["meld"] = new(64, 64, 65, PaperTaskKind.Classification),
        ["cherma"] = new(1024, 2048, 78, PaperTaskKind.Classification),
    };

    // Spec table 5.2, one row per run.
    private static readonly RunRow[] RunTable =
    [
        //       backbone            dataset   batch  lr     warm early P  Ha  Hv  new
        new("chatglm3-6b-base", "mosei",  8,  5e-5,  30, 10,  4, 64, 32, 4),
        new("chatglm3-6b-base", "simsv2", 8,  5e-5,  80, 10,  4, 64, 64, 4),
        new("chatglm3-6b-base", "meld",   8,  5e-5,  90,  8,  4, 64, 32, 2),
        new("chatglm3-6b-base", "cherma", 8,  5e-5,  30,  8,  4, 32, 16, 2),
        new("qwen-1.8b",        "mosei",  16, 5e-3,  30, 10,  4, 64, 32, 4),
        new("qwen-1.8b",        "simsv2", 16, 5e-4,  30, 10,  4, 64, 64, 4),
        new("qwen-1.8b",        "meld",   16, 5e-4,  50,  8,  2, 32, 16, 1),
        new("qwen-1.8b",        "cherma", 16, 5e-3,  30,  8,  4, 32, 16, 1),
        new("llama2-7b",        "mosei",  8,  5e-5,  30, 10,  4, 64, 32, 4),
        new("llama2-7b",        "simsv2", 8,  5e-5,  40, 10,  4, 64, 64, 4),
        new("llama2-7b",        "meld",   6,  5e-4,  30,  8,  4, 64, 32, 2),
        new("llama2-7b",        "cherma", 6,  5e-5,  30,  8,  4, 32, 16, 2),
    ];

    /// <summary>All twelve presets, backbone-major in <see cref="Backbones"/> x <see cref="Datasets"/> order.</summary>
    public static IReadOnlyList<PaperPreset> All { get; } =
        [.. Backbones.SelectMany(b => Datasets.Select(d => Build(RunTable.Single(r => r.Backbone == b && r.Dataset == d))))];

    /// <summary>Looks a preset up by CLI names (case-insensitive).</summary>
    /// <exception cref="ArgumentException">An unknown backbone or dataset; the message lists the valid names.</exception>
    public static PaperPreset Get(string backbone, string dataset)
    {
        if (!Backbones.Contains(backbone, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Unknown backbone '{backbone}'. Valid backbones: {string.Join(", ", Backbones)}.", nameof(backbone));
        }

        if (!Datasets.Contains(dataset, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Unknown dataset '{dataset}'. Valid datasets: {string.Join(", ", Datasets)}.", nameof(dataset));
        }

        return All.Single(p =>
            p.Backbone.Equals(backbone, StringComparison.OrdinalIgnoreCase) &&
            p.Dataset.Equals(dataset, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Looks a preset up by CLI names (case-insensitive); false when either name is unknown.</summary>
    public static bool TryGet(string backbone, string dataset, [NotNullWhen(true)] out PaperPreset? preset)
    {
        preset = All.FirstOrDefault(p =>
            p.Backbone.Equals(backbone, StringComparison.OrdinalIgnoreCase) &&
            p.Dataset.Equals(dataset, StringComparison.OrdinalIgnoreCase));
        return preset is not null;
    }

    private static PaperPreset Build(RunRow row)
    {
        var data = DatasetTable[row.Dataset];
        var adapter = new MseAdapterConfig(
            HiddenSize: HiddenSizes[row.Backbone],
            PseudoTokens: row.PseudoTokens,
            AudioFeatureDim: data.AudioDim,
            VideoFeatureDim: data.VideoDim,
            AudioHidden: row.AudioHidden,
            VideoHidden: row.VideoHidden);
        return new PaperPreset(row.Backbone, row.Dataset, adapter, data.TextLength, row.BatchSize, row.LearningRate,
            row.WarmUpEpochs, row.EarlyStop, row.MaxNewTokens, data.Task);
    }

    private sealed record DatasetFacts(int AudioDim, int VideoDim, int TextLength, PaperTaskKind Task);

    private sealed record RunRow(
        string Backbone, string Dataset, int BatchSize, double LearningRate, int WarmUpEpochs, int EarlyStop,
        int PseudoTokens, int AudioHidden, int VideoHidden, int MaxNewTokens);
}
