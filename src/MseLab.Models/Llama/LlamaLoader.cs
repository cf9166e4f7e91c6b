using MseLab.Models.Checkpoints;
using static TorchSharp.torch;

namespace MseLab.Models.Llama;

/// <summary>
/// Loads a Hugging Face LlamaForCausalLM directory (config.json + safetensors or pytorch_model*.bin) as a frozen backbone.
/// The pattern for every family: build on <see cref="EmptyWeights.Device"/>, then <see cref="HfCheckpoint.LoadInto"/> with the target device.
/// </summary>
public static class LlamaLoader
{
    /// <summary>Loads <paramref name="directory"/> in <paramref name="dtype"/> on <paramref name="device"/>, frozen and in eval mode.</summary>
    public static LlamaForCausalLM Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        FrozenBackbone.Load(
            directory,
            "a Hugging Face model folder (config.json, model.safetensors, tokenizer.json)",
            "mselab backbone create-tiny DIR",
            LlamaConfig.Load,
            (config, meta) => new LlamaForCausalLM(config, dtype, meta),
            // HF drops the inv_freq buffers from state dicts; old checkpoints still carry them. A tied head has no
            // parameter of its own; some tied checkpoints still store a copy of it.
            config => name => name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (config.TieWordEmbeddings && name == "lm_head.weight"),
            device);

    /// <summary>Turns gradients off for every parameter and switches to eval mode.</summary>
    public static void Freeze(LlamaForCausalLM model) => FrozenBackbone.Freeze(model);
}
