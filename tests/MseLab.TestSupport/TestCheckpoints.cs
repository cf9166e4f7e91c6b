using MseLab.Models.Llama;
using static TorchSharp.torch;

namespace MseLab.TestSupport;

/// <summary>Writes small random LLaMA checkpoints in the Hugging Face layout.</summary>
public static class TestCheckpoints
{
    public static LlamaConfig SmallConfig(bool tied = false, int kvHeads = 2) => new()
    {
        Architectures = ["LlamaForCausalLM"],
        ModelType = "llama",
        VocabSize = 97,
        HiddenSize = 32,
        IntermediateSize = 88,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = kvHeads,
        RopeTheta = 5000.0,
        RmsNormEps = 1e-5,
        TieWordEmbeddings = tied,
    };

    public static string Write(string directory, LlamaConfig config, ScalarType storedType = ScalarType.Float32, int seed = 7, bool sharded = false)
    {
        Directory.CreateDirectory(directory);
        manual_seed(seed);
        using var model = new LlamaForCausalLM(config);
        using (no_grad())
        {
            // Spread the norm weights so that a wrong RMSNorm shows up in the logits.
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.EndsWith("norm.weight", StringComparison.Ordinal)))
            {
                parameter.uniform_(0.5, 1.5);
            }
        }

        return CheckpointWriter.Write(directory, config.Save, () => CheckpointWriter.Parameters(model, storedType), sharded);
    }
}
