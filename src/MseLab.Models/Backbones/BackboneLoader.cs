using MseLab.Experiments.Backbones;
using MseLab.Models.ChatGlm;
using MseLab.Models.Llama;
using MseLab.Models.Qwen;
using MseLab.Models.Tokenization;
using static TorchSharp.torch;

namespace MseLab.Models.Backbones;

/// <summary>Loads a model folder as a frozen backbone with its tokenizer, by the family its config.json names.</summary>
public static class BackboneLoader
{
    /// <summary>The frozen backbone in <paramref name="directory"/>, a model of <paramref name="family"/>.</summary>
    public static ICausalBackbone Load(string directory, BackboneFamily family, ScalarType dtype = ScalarType.Float32, Device? device = null) => family switch
    {
        BackboneFamily.Llama2 => LlamaLoader.Load(directory, dtype, device),
        BackboneFamily.Qwen1 => QwenLoader.Load(directory, dtype, device),
        BackboneFamily.ChatGLM3 => ChatGlmLoader.Load(directory, dtype, device),
        _ => throw Unknown(family),
    };

    /// <summary>
    /// The tokenizer of the model in <paramref name="directory"/>, a model of <paramref name="family"/>: LLaMA's
    /// tokenizer.json (or, without one, its SentencePiece tokenizer.model), Qwen-1's qwen.tiktoken, ChatGLM3's tokenizer.model.
    /// </summary>
    /// <exception cref="FileNotFoundException">The family's tokenizer file is missing; the message names the folder and the files looked for.</exception>
    public static ITextTokenizer LoadTokenizer(string directory, BackboneFamily family)
    {
        string Existing(params string[] names) =>
            names.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"{directory} is a {family} model but has no {string.Join(" or ", names)}: copy the tokenizer files of the checkpoint into the folder.",
                Path.Combine(directory, names[0]));

        return family switch
        {
            // HF's LlamaTokenizerFast reads tokenizer.json; the slow LlamaTokenizer (same ids) only tokenizer.model.
            BackboneFamily.Llama2 when File.Exists(Path.Combine(directory, "tokenizer.json")) => new HfJsonTokenizer(Path.Combine(directory, "tokenizer.json")),
            BackboneFamily.Llama2 => new LlamaSentencePieceTokenizer(Existing("tokenizer.json", LlamaSentencePieceTokenizer.FileName)),
            BackboneFamily.Qwen1 => new QwenTokenizer(Existing(QwenTiktokenFile.FileName)),
            BackboneFamily.ChatGLM3 => new ChatGlm3Tokenizer(Existing(ChatGlm3Tokenizer.FileName)),
            _ => throw Unknown(family),
        };
    }

    private static ArgumentOutOfRangeException Unknown(BackboneFamily family) => new(nameof(family), family, "Not a backbone family.");
}
