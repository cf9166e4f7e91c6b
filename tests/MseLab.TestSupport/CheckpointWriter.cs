using System.Text.Json;
using MseLab.Models.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.TestSupport;

/// <summary>
/// The part every family's test checkpoint writer shares: config.json, then a state dict stored in one
/// <c>model.safetensors</c>, or in two shards plus <c>model.safetensors.index.json</c> as HF writes large models.
/// </summary>
internal static class CheckpointWriter
{
    /// <summary>
    /// Saves the config with <paramref name="saveConfig"/> and the tensors of <paramref name="state"/> (called inside a
    /// dispose scope, so the tensors it makes are freed here) in <paramref name="directory"/>; returns the directory.
    /// </summary>
    public static string Write(string directory, Action<string> saveConfig, Func<IEnumerable<(string Name, Tensor Value)>> state, bool sharded)
    {
        Directory.CreateDirectory(directory);
        saveConfig(Path.Combine(directory, "config.json"));
        using var scope = NewDisposeScope();
        var tensors = state().ToList();
        if (!sharded)
        {
            Safetensors.SaveStateDict(Path.Combine(directory, HfCheckpoint.SingleFile), tensors.ToDictionary(p => p.Name, p => p.Value));
            return directory;
        }

        var half = tensors.Count / 2;
        var shards = new[] { tensors[..half], tensors[half..] };
        var weightMap = new Dictionary<string, string>();
        for (var i = 0; i < shards.Length; i++)
        {
            var file = $"model-{i + 1:00000}-of-{shards.Length:00000}.safetensors";
            Safetensors.SaveStateDict(Path.Combine(directory, file), shards[i].ToDictionary(p => p.Name, p => p.Value));
            foreach (var (name, _) in shards[i])
            {
                weightMap[name] = file;
            }
        }

        File.WriteAllText(Path.Combine(directory, HfCheckpoint.IndexFile), JsonSerializer.Serialize(new { metadata = new { }, weight_map = weightMap }));
        return directory;
    }

    /// <summary><paramref name="model"/>'s parameters in named_parameters order, converted to <paramref name="storedType"/>.</summary>
    public static IEnumerable<(string Name, Tensor Value)> Parameters(nn.Module model, ScalarType storedType) =>
        model.named_parameters().Select(p => (p.name, p.parameter.detach().to(storedType).contiguous()));
}
