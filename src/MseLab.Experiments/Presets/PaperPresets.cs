using System.Diagnostics.CodeAnalysis;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;

namespace MseLab.Experiments.Presets;

/// <summary>
/// The twelve official backbone x dataset configurations: the paper's hyperparameters as data, transcribed from the
/// official configs (spec sections 1.5, 1.10, 3 and 5.2); the trainable-parameter tests check them against the authors'
/// logged counts. A trial takes every hyperparameter it leaves open from here.
/// </summary>
public static class PaperPresets
{
    /// <summary>Backbone names (the paper checkpoints), in the order of the spec's tables.</summary>
    public static IReadOnlyList<string> Backbones => BackboneFamilies.PaperNames;

    /// <summary>Dataset names, in the order of the spec's tables.</summary>
    public static IReadOnlyList<string> Datasets { get; } = [.. PaperDatasets.InPaper.Select(i => i.Name)];

    // D per backbone family.
    private static readonly Dictionary<BackboneFamily, int> HiddenSizes = new()
    {
        [BackboneFamily.Llama2] = 4096,
        [BackboneFamily.Qwen1] = 2048,
        [BackboneFamily.ChatGLM3] = 4096,
    };

    // Spec table 5.2, one row per run. "new" is max_new_tokens at evaluation, the only copy the engine reads (LLaMA's
    // SentencePiece emits "▁" before a digit, hence two tokens for a one-digit class index; Qwen's tiktoken needs one).
    private static readonly RunRow[] RunTable =
    [
        //       backbone                 dataset               batch  lr    warm early P  Ha  Hv  new
        new(BackboneFamily.ChatGLM3, PaperDataset.Mosei,  8,  5e-5,  30, 10,  4, 64, 32, 4),
        new(BackboneFamily.ChatGLM3, PaperDataset.SimsV2, 8,  5e-5,  80, 10,  4, 64, 64, 4),
        new(BackboneFamily.ChatGLM3, PaperDataset.Meld,   8,  5e-5,  90,  8,  4, 64, 32, 2),
        new(BackboneFamily.ChatGLM3, PaperDataset.Cherma, 8,  5e-5,  30,  8,  4, 32, 16, 2),
        new(BackboneFamily.Qwen1,    PaperDataset.Mosei,  16, 5e-3,  30, 10,  4, 64, 32, 4),
        new(BackboneFamily.Qwen1,    PaperDataset.SimsV2, 16, 5e-4,  30, 10,  4, 64, 64, 4),
        new(BackboneFamily.Qwen1,    PaperDataset.Meld,   16, 5e-4,  50,  8,  2, 32, 16, 1),
        new(BackboneFamily.Qwen1,    PaperDataset.Cherma, 16, 5e-3,  30,  8,  4, 32, 16, 1),
        new(BackboneFamily.Llama2,   PaperDataset.Mosei,  8,  5e-5,  30, 10,  4, 64, 32, 4),
        new(BackboneFamily.Llama2,   PaperDataset.SimsV2, 8,  5e-5,  40, 10,  4, 64, 64, 4),
        new(BackboneFamily.Llama2,   PaperDataset.Meld,   6,  5e-4,  30,  8,  4, 64, 32, 2),
        new(BackboneFamily.Llama2,   PaperDataset.Cherma, 6,  5e-5,  30,  8,  4, 32, 16, 2),
    ];

    /// <summary>All twelve presets, backbone-major in <see cref="Backbones"/> x <see cref="Datasets"/> order.</summary>
    public static IReadOnlyList<PaperPreset> All { get; } =
    [
        .. Enum.GetValues<BackboneFamily>().SelectMany(b => PaperDatasets.InPaper
            .Select(d => Build(RunTable.Single(r => r.Family == b && r.Dataset == d.Dataset), d))),
    ];

    /// <summary>
    /// The preset of a backbone family on a dataset: the paper's row, or for MOSI and SIMS the row of the dataset they take
    /// their configuration from, with their own feature widths and text length.
    /// </summary>
    public static PaperPreset Get(BackboneFamily family, PaperDataset dataset)
    {
        var data = PaperDatasets.Info(dataset);
        return data.InPaper
            ? All.Single(p => p.Family == family && p.Dataset == dataset)
            : Build(RunTable.Single(r => r.Family == family && r.Dataset == data.ConfigFrom), data);
    }

    /// <summary>Looks a preset up by names (case-insensitive).</summary>
    /// <exception cref="ArgumentException">An unknown backbone or dataset; the message lists the valid names.</exception>
    public static PaperPreset Get(string backbone, string dataset) =>
        Get(BackboneFamilies.ParsePaperName(backbone), PaperDatasets.Parse(dataset));

    /// <summary>Looks a preset up by names (case-insensitive); false when either name is unknown.</summary>
    public static bool TryGet(string backbone, string dataset, [NotNullWhen(true)] out PaperPreset? preset)
    {
        preset = BackboneFamilies.TryParsePaperName(backbone, out var family) && PaperDatasets.TryParse(dataset, out var paper)
            ? Get(family, paper)
            : null;
        return preset is not null;
    }

    private static PaperPreset Build(RunRow row, PaperDatasetInfo data)
    {
        var adapter = new MseAdapterConfig(
            HiddenSize: HiddenSizes[row.Family],
            PseudoTokens: row.PseudoTokens,
            AudioFeatureDim: data.AudioDim,
            VideoFeatureDim: data.VideoDim,
            AudioHidden: row.AudioHidden,
            VideoHidden: row.VideoHidden);
        return new PaperPreset(row.Family, data.Dataset, adapter, data.TextLength, row.BatchSize, row.LearningRate,
            row.WarmUpEpochs, row.EarlyStop, row.MaxNewTokens, data.Kind);
    }

    private sealed record RunRow(
        BackboneFamily Family, PaperDataset Dataset, int BatchSize, double LearningRate, int WarmUpEpochs, int EarlyStop,
        int PseudoTokens, int AudioHidden, int VideoHidden, int MaxNewTokens);
}
