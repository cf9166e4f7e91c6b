using MseLab.Models.Checkpoints;
using MseLab.Models.Runtime;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm;

/// <summary>Loads a ChatGLM3 model directory (config.json + weights, as THUDM/chatglm3-6b-base) as a frozen backbone.</summary>
public static class ChatGlmLoader
{
    /// <summary>The checkpoint's persistent rotary buffer: the remote code never reads its values, and neither does MseLab.</summary>
    public const string InvFreqName = "transformer.rotary_pos_emb.inv_freq";

    /// <summary>Loads <paramref name="directory"/> in <paramref name="dtype"/> on <paramref name="device"/>, frozen and in eval mode.</summary>
    public static ChatGlmForCausalLM Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Model directory '{directory}' does not exist. Pass a ChatGLM3 model folder (config.json, weights, tokenizer.model), " +
                "or make a tiny one with: mselab backbone create-tiny DIR --family chatglm3");
        }

        var config = ChatGlmConfig.Load(Path.Combine(directory, "config.json"));
        ChatGlmForCausalLM model;
        lock (TorchRuntime.RandomState)
        {
            model = new ChatGlmForCausalLM(config, dtype, device);   // random weights first, replaced below
        }

        try
        {
            HfCheckpoint.LoadInto(model, directory, name => name == InvFreqName);
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
    public static void Freeze(ChatGlmForCausalLM model)
    {
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        model.eval();
    }
}
