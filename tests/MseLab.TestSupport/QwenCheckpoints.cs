using MseLab.Models.Qwen;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.TestSupport;

/// <summary>Writes small random Qwen-1 checkpoints in the layout of Qwen/Qwen-1_8B (config.json with auto_map, safetensors).</summary>
public static class QwenCheckpoints
{
    /// <summary>A two-layer Qwen-1 with the real config's keys; seq_length 64 keeps the length quirks off unless a test lowers it.</summary>
    public static QwenConfig SmallConfig(bool tied = false, double rotaryPct = 1.0, bool noBias = true, int seqLength = 64) =>
        QwenConfig.Qwen1Like(vocab: 97, hidden: 32, heads: 4, kvChannels: 8, intermediate: 88, layers: 2, seqLength: seqLength) with
        {
            LayerNormEpsilon = 1e-6,
            RotaryPct = rotaryPct,
            RotaryEmbBase = 5000,
            NoBias = noBias,
            TieWordEmbeddings = tied,
        };

    /// <summary>
    /// Writes config.json and the weights (one file, or two shards plus an index) stored as <paramref name="storedType"/>.
    /// <paramref name="weightScale"/> multiplies the projection weights: sharper attention, so positions matter more.
    /// </summary>
    public static string Write(string directory, QwenConfig config, ScalarType storedType = ScalarType.Float32, int seed = 7, bool sharded = false, double weightScale = 1)
    {
        Directory.CreateDirectory(directory);
        manual_seed(seed);
        using var model = new QwenForCausalLM(config);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.EndsWith("ln_1.weight", StringComparison.Ordinal) || name.EndsWith("ln_2.weight", StringComparison.Ordinal) || name.EndsWith("ln_f.weight", StringComparison.Ordinal))
                {
                    parameter.uniform_(0.5, 1.5);     // spread the norm weights so that a wrong RMSNorm shows in the logits
                }
                else if (name == "transformer.wte.weight")
                {
                    parameter.normal_(0, 1);          // unit-size embeddings, so attention and the quirks move the logits
                }
                else if (name.EndsWith(".weight", StringComparison.Ordinal) && name != "lm_head.weight")
                {
                    using var scale = weightScale.ToScalar();
                    parameter.mul_(scale);
                }
            }
        }

        return CheckpointWriter.Write(directory, config.Save, () => CheckpointWriter.Parameters(model, storedType), sharded);
    }
}
