using MseLab.Models.Checkpoints;
using MseLab.Models.Llama;
using TorchSharp.PyBridge;
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

        config.Save(Path.Combine(directory, "config.json"));
        if (!sharded)
        {
            HfCheckpoint.Save(model, directory, storedType);
            return directory;
        }

        // Two shards plus an index, as HF writes large models.
        using var scope = NewDisposeScope();
        var state = model.named_parameters().ToList();
        var half = state.Count / 2;
        var shards = new[] { state[..half], state[half..] };
        var weightMap = new Dictionary<string, string>();
        for (var i = 0; i < shards.Length; i++)
        {
            var file = $"model-{i + 1:00000}-of-{shards.Length:00000}.safetensors";
            Safetensors.SaveStateDict(Path.Combine(directory, file), shards[i].ToDictionary(p => p.name, p => p.parameter.detach().to(storedType)));
            foreach (var (name, _) in shards[i])
            {
                weightMap[name] = file;
            }
        }

        File.WriteAllText(Path.Combine(directory, HfCheckpoint.IndexFile), System.Text.Json.JsonSerializer.Serialize(new { metadata = new { }, weight_map = weightMap }));
        return directory;
    }
}
