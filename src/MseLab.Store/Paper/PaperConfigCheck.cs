using System.Globalization;
using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Presets;
using MseLab.Experiments.Trials;

namespace MseLab.Store.Paper;

/// <summary>
/// How a cell's resolved configuration differs from the run the authors logged (spec 5.2 and the official code): each
/// hyperparameter against the paper's preset for its family and dataset, a bound on epochs, and the precision.
/// </summary>
internal static class PaperConfigCheck
{
    /// <summary>The official code's optimiser settings (AdamW eps 1e-4, torch's default weight decay).</summary>
    private static readonly TrialConfig OfficialOptimiser = new() { Backbone = PresetBackbone.Tiny, Dataset = new SyntheticDatasetRef(PaperDataset.Mosei) };

    /// <summary>One text per difference (<c>lr 0.005 (paper 5E-05)</c>); empty when the cell runs the paper's configuration.</summary>
    public static IReadOnlyList<string> Differences(string resolvedConfig, BackboneFamily family, PaperDataset dataset)
    {
        var preset = PaperPresets.Get(family, dataset);
        using var document = JsonDocument.Parse(resolvedConfig);
        var config = document.RootElement;
        var differences = new List<string>();
        void Compare(string property, string name, double paper)
        {
            if (config.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.GetDouble() != paper)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value.GetDouble():G6} (paper {paper:G6})"));
            }
        }

        Compare("BatchSize", "batch_size", preset.BatchSize);
        Compare("LearningRate", "lr", preset.LearningRate);
        Compare("WarmUpEpochs", "warm_up_epochs", preset.WarmUpEpochs);
        Compare("EarlyStop", "early_stop", preset.EarlyStop);
        Compare("PseudoTokens", "pseudo_tokens", preset.Adapter.PseudoTokens);
        Compare("AudioHidden", "audio_hidden", preset.Adapter.AudioHidden);
        Compare("VideoHidden", "video_hidden", preset.Adapter.VideoHidden);
        Compare("AdamEps", "adam_eps", OfficialOptimiser.AdamEps);
        Compare("WeightDecay", "weight_decay", OfficialOptimiser.WeightDecay);
        if (config.TryGetProperty("MaxEpochs", out var max) && max.ValueKind == JsonValueKind.Number)
        {
            differences.Add($"max_epochs {max.GetRawText()} (the paper trains until early stopping)");
        }

        // The canonical JSON writes Precision only when it is not fp32 (older keys stay), so absent means fp32.
        var precision = config.TryGetProperty("Precision", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (!string.Equals(precision, TrialPrecisionNames.ToName(TrialPrecision.Paper), StringComparison.Ordinal))
        {
            differences.Add($"precision {precision ?? TrialPrecisionNames.ToName(TrialPrecision.Fp32)} (paper: fp16 weights, precision: paper)");
        }

        return differences;
    }
}
