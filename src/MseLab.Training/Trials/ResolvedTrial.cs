using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MseLab.Training.Trials;

/// <summary>
/// A trial configuration with every default filled in: what actually runs. Its canonical JSON hashes to the trial's
/// identity, and it is stored with every result.
/// </summary>
public sealed record ResolvedTrial(
    string Backbone,
    string BackboneFamily,
    string Dataset,
    string Task,
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
    double WeightDecay)
{
    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = false };

    /// <summary>SHA-256 of the canonical JSON (fixed property order) of everything that changes the numbers.</summary>
    public string Hash()
    {
        // The device does not change the science (CPU and CUDA runs of one config form one cell).
        var json = JsonSerializer.Serialize(this with { Device = "" }, Canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }
}
