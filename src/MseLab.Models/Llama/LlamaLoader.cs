using MseLab.Models.Checkpoints;
using MseLab.Models.Runtime;
using static TorchSharp.torch;

namespace MseLab.Models.Llama;

/// <summary>
/// Loads a Hugging Face LlamaForCausalLM directory (config.json + safetensors or pytorch_model*.bin) as a frozen backbone.
/// The pattern for every family: build on <see cref="EmptyWeights.Device"/>, then <see cref="HfCheckpoint.LoadInto"/> with the target device.
/// </summary>
public static class LlamaLoader
{
    /// <summary>Loads <paramref name="directory"/> in <paramref name="dtype"/> on <paramref name="device"/>, frozen and in eval mode.</summary>
    public static LlamaForCausalLM Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Model directory '{directory}' does not exist. Pass a Hugging Face model folder (config.json, model.safetensors, tokenizer.json), " +
                "or make a tiny one with: mselab backbone create-tiny DIR");
        }

        var config = LlamaConfig.Load(Path.Combine(directory, "config.json"));
        // Shapes only: each parameter is allocated once, on the device, when its tensor is read. Constructors still run
        // their init calls (no-ops on meta); the lock keeps them away from a trial seeding the global generator.
        LlamaForCausalLM model;
        lock (TorchRuntime.RandomState)
        {
            model = new LlamaForCausalLM(config, dtype, EmptyWeights.Device);
        }

        try
        {
            // HF drops these buffers from state dicts; old checkpoints still carry them.
            static bool Ignorable(string name) => name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal);
            // A tied head has no parameter of its own; some tied checkpoints still store a copy of it.
            HfCheckpoint.LoadInto(model, directory, name => Ignorable(name) || (config.TieWordEmbeddings && name == "lm_head.weight"), device ?? CPU);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        Freeze(model);
        return model;
    }

    /// <summary>Turns gradients off for every parameter and switches to eval mode.</summary>
    public static void Freeze(LlamaForCausalLM model)
    {
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        model.eval();
    }
}
