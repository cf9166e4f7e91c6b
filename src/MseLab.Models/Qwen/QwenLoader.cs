using MseLab.Models.Checkpoints;
using static TorchSharp.torch;

namespace MseLab.Models.Qwen;

/// <summary>
/// Loads a Qwen-1 model directory (config.json + safetensors, as Qwen/Qwen-1_8B ships) as a frozen backbone: built on
/// <see cref="EmptyWeights.Device"/>, each parameter allocated once on the target device by <see cref="HfCheckpoint.LoadInto"/>.
/// </summary>
public static class QwenLoader
{
    /// <summary>Loads <paramref name="directory"/> in <paramref name="dtype"/> on <paramref name="device"/>, frozen and in eval mode.</summary>
    public static QwenForCausalLM Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        FrozenBackbone.Load(
            directory,
            "a Qwen-1 model folder (config.json, model*.safetensors, qwen.tiktoken)",
            "mselab backbone create-tiny DIR",
            QwenConfig.Load,
            (config, meta) => new QwenForCausalLM(config, dtype, meta),
            // A tied head has no parameter of its own; a tied checkpoint may still store a copy of it.
            config => name => config.TieWordEmbeddings && name == "lm_head.weight",
            device);

    /// <summary>Turns gradients off for every parameter and switches to eval mode (which turns dynamic NTK and logn attention on).</summary>
    public static void Freeze(QwenForCausalLM model) => FrozenBackbone.Freeze(model);
}
