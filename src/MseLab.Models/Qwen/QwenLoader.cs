using MseLab.Models.Checkpoints;
using MseLab.Models.Runtime;
using static TorchSharp.torch;

namespace MseLab.Models.Qwen;

/// <summary>
/// Loads a Qwen-1 model directory (config.json + safetensors, as Qwen/Qwen-1_8B ships) as a frozen backbone: built on
/// <see cref="EmptyWeights.Device"/>, each parameter allocated once on the target device by <see cref="HfCheckpoint.LoadInto"/>.
/// </summary>
public static class QwenLoader
{
    /// <summary>Loads <paramref name="directory"/> in <paramref name="dtype"/> on <paramref name="device"/>, frozen and in eval mode.</summary>
    public static QwenForCausalLM Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Model directory '{directory}' does not exist. Pass a Qwen-1 model folder (config.json, model*.safetensors, qwen.tiktoken), " +
                "or make a tiny one with: mselab backbone create-tiny DIR");
        }

        var config = QwenConfig.Load(Path.Combine(directory, "config.json"));
        // Shapes only (see LlamaLoader); the lock keeps the constructors' init calls away from a trial seeding the global generator.
        QwenForCausalLM model;
        lock (TorchRuntime.RandomState)
        {
            model = new QwenForCausalLM(config, dtype, EmptyWeights.Device);
        }

        try
        {
            // A tied head has no parameter of its own; a tied checkpoint may still store a copy of it.
            HfCheckpoint.LoadInto(model, directory, name => config.TieWordEmbeddings && name == "lm_head.weight", device ?? CPU);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        Freeze(model);
        return model;
    }

    /// <summary>Turns gradients off for every parameter and switches to eval mode (which turns dynamic NTK and logn attention on).</summary>
    public static void Freeze(QwenForCausalLM model)
    {
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        model.eval();
    }
}
