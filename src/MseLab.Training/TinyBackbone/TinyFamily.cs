using MseLab.Experiments.Backbones;
using MseLab.Models.Backbones;
using static TorchSharp.torch;

namespace MseLab.Training.TinyBackbone;

/// <summary>
/// What differs between the tiny backbones of the three families: the tokenizer files written into the folder (in the real
/// model's format), and the untrained decoder with its config.json. Pretraining, probing and the report are shared.
/// </summary>
internal abstract class TinyFamily
{
    public abstract BackboneFamily Family { get; }

    /// <summary>Trains the family's tokenizer on <paramref name="corpus"/> and writes its files into <paramref name="directory"/>.</summary>
    public abstract void WriteTokenizer(string directory, IEnumerable<string> corpus, TinyBackboneOptions options);

    /// <summary>An untrained decoder for a tokenizer with <paramref name="tokenizerVocab"/> ids, with the config.json that describes it.</summary>
    public abstract TinyModel CreateModel(int tokenizerVocab, TinyBackboneOptions options);

    public static TinyFamily For(BackboneFamily family) => family switch
    {
        BackboneFamily.Llama2 => new TinyLlama(),
        BackboneFamily.Qwen1 => new TinyQwen(),
        BackboneFamily.ChatGLM3 => new TinyChatGlm3(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Not a backbone family."),
    };
}

/// <summary>A trainable decoder of some family (the module and its backbone view are one object) and how to write its config.json.</summary>
internal sealed record TinyModel(nn.Module Module, ICausalBackbone Backbone, Action<string> SaveConfig) : IDisposable
{
    public static TinyModel Of<TModel>(TModel model, Action<string> saveConfig) where TModel : nn.Module, ICausalBackbone => new(model, model, saveConfig);

    public void Dispose() => Module.Dispose();
}
