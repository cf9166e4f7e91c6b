using System.Security.Cryptography;
using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Trials;

/// <summary>
/// A trial configuration with every default filled in: what actually runs. Its canonical JSON hashes to the trial's
/// identity (the cell key of a sweep), and it is stored with every result.
/// </summary>
public sealed record ResolvedTrial(
    BackboneRef Backbone,
    BackboneFamily Family,
    DatasetRef Dataset,
    MetricsTask Task,
    int Seed,
    string Device,
    int BatchSize,
    int EvalBatchSize,
    double LearningRate,
    int WarmUpEpochs,
    int EarlyStop,
    int PseudoTokens,
    int AudioHidden,
    int VideoHidden,
    int TextLength,
    int MaxNewTokens,
    int? MaxEpochs,
    double AdamEps,
    double WeightDecay,
    TrialPrecision Precision = TrialPrecision.Fp32)
{
    /// <summary>
    /// The canonical JSON of everything that changes the numbers (and the device): a fixed property order and fixed value
    /// forms; <c>Precision</c> appears only when it is not <c>fp32</c>. This text is a contract, not a serialisation detail: a store's cell keys are its hash, so it must not change
    /// when the record does. <c>BackboneFamily</c> holds the name of the paper checkpoint whose defaults the family takes
    /// (<c>llama2-7b</c>), <c>Task</c> the metric protocol's name (<c>mosei</c>). Results can be grouped by any of these
    /// properties (snake_case on the command line).
    /// </summary>
    public string CanonicalJson()
    {
        using var buffer = new MemoryStream();
#pragma warning disable CA1507 // The property names are a stored contract: a rename of the C# property must not change them.
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Backbone", Backbone.ToString());
            json.WriteString("BackboneFamily", BackboneFamilies.PaperName(Family));
            json.WriteString("Dataset", Dataset.ToString());
            json.WriteString("Task", MetricsTaskNames.ToName(Task));
            json.WriteNumber("Seed", Seed);
            json.WriteString("Device", Device);
            json.WriteNumber("BatchSize", BatchSize);
            json.WriteNumber("EvalBatchSize", EvalBatchSize);
            json.WriteNumber("LearningRate", LearningRate);
            json.WriteNumber("WarmUpEpochs", WarmUpEpochs);
            json.WriteNumber("EarlyStop", EarlyStop);
            json.WriteNumber("PseudoTokens", PseudoTokens);
            json.WriteNumber("AudioHidden", AudioHidden);
            json.WriteNumber("VideoHidden", VideoHidden);
            json.WriteNumber("TextLength", TextLength);
            json.WriteNumber("MaxNewTokens", MaxNewTokens);
            if (MaxEpochs is { } max)
            {
                json.WriteNumber("MaxEpochs", max);
            }
            else
            {
                json.WriteNull("MaxEpochs");
            }

            json.WriteNumber("AdamEps", AdamEps);
            json.WriteNumber("WeightDecay", WeightDecay);
            // Written only when not the default, so the keys of trials from before precision existed stay theirs.
            if (Precision != TrialPrecision.Fp32)
            {
                json.WriteString("Precision", TrialPrecisionNames.ToName(Precision));
            }

            json.WriteEndObject();
        }
#pragma warning restore CA1507

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The trial's identity: SHA-256 (hex) of <see cref="CanonicalJson"/> without the device (CPU and CUDA runs of one configuration are one cell).</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes((this with { Device = "" }).CanonicalJson())));

    /// <summary>The identity of the configuration without its seed: the seeds of one configuration share it (mean ± std over seeds).</summary>
    public string SeedGroup() => (this with { Seed = 0 }).Hash();
}
