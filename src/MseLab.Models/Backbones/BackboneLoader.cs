using MseLab.Experiments.Backbones;
using MseLab.Models.ChatGlm;
using MseLab.Models.Llama;
using MseLab.Models.Tokenization;
using static TorchSharp.torch;

namespace MseLab.Models.Backbones;

/// <summary>Loads a model folder as a frozen backbone with its tokenizer, by the family its config.json names.</summary>
public static class BackboneLoader
{
    /// <summary>The frozen backbone in <paramref name="directory"/>, a model of <paramref name="family"/>.</summary>
    /// <exception cref="NotSupportedException">A family whose loader MseLab does not have yet; the message names the folder.</exception>
    public static ICausalBackbone Load(string directory, BackboneFamily family, ScalarType dtype = ScalarType.Float32, Device? device = null) => family switch
    {
        BackboneFamily.Llama2 => LlamaLoader.Load(directory, dtype, device),
        BackboneFamily.ChatGLM3 => ChatGlmLoader.Load(directory, dtype, device),
        _ => throw NotYet(directory, family),
    };

    /// <summary>The tokenizer of the model in <paramref name="directory"/>, a model of <paramref name="family"/>.</summary>
    /// <exception cref="NotSupportedException">A family whose tokenizer MseLab does not have yet.</exception>
    public static ITextTokenizer LoadTokenizer(string directory, BackboneFamily family) => family switch
    {
        BackboneFamily.Llama2 => new HfJsonTokenizer(Path.Combine(directory, "tokenizer.json")),
        _ => throw NotYet(directory, family),
    };

    private static NotSupportedException NotYet(string directory, BackboneFamily family) =>
        new($"{directory} is a {family} model; this MseLab loads {BackboneFamily.Llama2} backbones only so far. Use a LLaMA model folder or the preset 'tiny'.");
}
