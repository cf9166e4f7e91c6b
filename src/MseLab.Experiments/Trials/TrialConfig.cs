using System.Text.Json.Serialization;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;

namespace MseLab.Experiments.Trials;

/// <summary>
/// Everything that determines one trial, as asked for. Hyperparameters left null take the paper's value for the
/// backbone's family and the dataset (spec 5.2, <see cref="Presets.PaperPresets"/>); <see cref="TrialDefaults"/> fills
/// them in. Stored as JSON with every cell (what a worker runs).
/// </summary>
public sealed record TrialConfig
{
    /// <summary>The frozen backbone: a preset (<c>tiny</c>) or a Hugging Face model folder.</summary>
    public required BackboneRef Backbone { get; init; }

    /// <summary>The dataset (today synthetic data in a paper dataset's shapes).</summary>
    public required DatasetRef Dataset { get; init; }

    /// <summary>The single source of randomness: adapter initialisation and batch order.</summary>
    public int Seed { get; init; } = 1111;

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Batch size (paper: 8 for LLaMA2 MSA, 6 for LLaMA2 ERC).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Peak learning rate (paper: 5e-5, 5e-4 for LLaMA2 MELD).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Cosine horizon in epochs; warm-up is 10 % of it (paper: 30 to 90).</summary>
    public int? WarmUpEpochs { get; init; }

    /// <summary>Early-stop patience in epochs (paper: 10 regression, 8 classification).</summary>
    public int? EarlyStop { get; init; }

    /// <summary>Number of pseudo tokens P (paper: 4; 2 for Qwen on MELD).</summary>
    public int? PseudoTokens { get; init; }

    /// <summary>Audio LSTM hidden size (paper: 64, 32 for CHERMA).</summary>
    public int? AudioHidden { get; init; }

    /// <summary>Video LSTM hidden size (paper: 32; 64 for SIMS-V2; 16 for CHERMA).</summary>
    public int? VideoHidden { get; init; }

    /// <summary>Safety bound on epochs; null (the paper) trains until early stopping.</summary>
    public int? MaxEpochs { get; init; }

    /// <summary>AdamW epsilon (paper: 1e-4).</summary>
    public double AdamEps { get; init; } = 1e-4;

    /// <summary>AdamW decoupled weight decay (torch default 0.01).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Batch size for validation and test generation; null uses the training batch size.</summary>
    public int? EvalBatchSize { get; init; }

    /// <summary>
    /// <c>fp32</c> (the default: exact weights, float32) or <c>paper</c> (the official code's bf16→fp16 weights, and on
    /// CUDA fp16 compute with loss scaling). Part of the trial's identity.
    /// </summary>
    public TrialPrecision Precision { get; init; } = TrialPrecision.Fp32;

    /// <summary>The device kind the trial needs: <c>cpu</c> or <c>cuda</c> (the part of <see cref="Device"/> before a colon).</summary>
    [JsonIgnore]
    public string DeviceKind => Device.Split(':', 2)[0];

    [JsonIgnore]
    public string Summary => $"{Backbone.Label} / {Dataset} / seed {Seed}";
}
