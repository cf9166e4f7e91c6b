using MseLab.Models.Checkpoints;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm;

/// <summary>
/// Loads a ChatGLM3 model directory (config.json + safetensors or pytorch_model*.bin, as THUDM/chatglm3-6b-base) as a
/// frozen backbone: built on <see cref="EmptyWeights.Device"/>, each parameter allocated once on the target device by
/// <see cref="HfCheckpoint.LoadInto"/>, which then moves the rotary tables there.
/// </summary>
public static class ChatGlmLoader
{
    /// <summary>The checkpoint's persistent rotary buffer: the remote code never reads its values, and neither does MseLab.</summary>
    public const string InvFreqName = "transformer.rotary_pos_emb.inv_freq";

    /// <summary>Loads <paramref name="directory"/> in <paramref name="dtype"/> on <paramref name="device"/>, frozen and in eval mode.</summary>
    public static ChatGlmForCausalLM Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        FrozenBackbone.Load(
            directory,
            "a ChatGLM3 model folder (config.json, weights, tokenizer.model)",
            "mselab backbone create-tiny DIR --family chatglm3",
            ChatGlmConfig.Load,
            (config, meta) => new ChatGlmForCausalLM(config, dtype, meta),
            _ => name => name == InvFreqName,
            device);

    /// <summary>Turns gradients off for every parameter and switches to eval mode.</summary>
    public static void Freeze(ChatGlmForCausalLM model) => FrozenBackbone.Freeze(model);
}
