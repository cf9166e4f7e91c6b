using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Models.Llama;
using MseLab.Models.Tokenization;

namespace MseLab.Training.TinyBackbone;

/// <summary>A tiny LLaMA: a byte-fallback BPE tokenizer.json (LlamaTokenizerFast layout) and a grouped-query decoder.</summary>
internal sealed class TinyLlama : TinyFamily
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public override BackboneFamily Family => BackboneFamily.Llama2;

    public override void WriteTokenizer(string directory, IEnumerable<string> corpus, TinyBackboneOptions options)
    {
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), BpeTokenizerTrainer.Train(corpus, options.VocabSize));
        var tokenizerConfig = new Dictionary<string, object>
        {
            ["tokenizer_class"] = "LlamaTokenizerFast",
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
            ["unk_token"] = "<unk>",
            ["add_bos_token"] = true,
            ["add_eos_token"] = false,
            ["padding_side"] = "left",
            ["model_max_length"] = 512,
        };
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), JsonSerializer.Serialize(tokenizerConfig, Json));
        File.WriteAllText(Path.Combine(directory, "special_tokens_map.json"), JsonSerializer.Serialize(new { bos_token = "<s>", eos_token = "</s>", unk_token = "<unk>" }, Json));
    }

    public override TinyModel CreateModel(int tokenizerVocab, TinyBackboneOptions options)
    {
        var config = new LlamaConfig
        {
            Architectures = ["LlamaForCausalLM"],
            ModelType = "llama",
            VocabSize = tokenizerVocab,
            HiddenSize = options.HiddenSize,
            IntermediateSize = options.IntermediateSize,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            NumKeyValueHeads = options.KeyValueHeads,
            MaxPositionEmbeddings = 512,
            RmsNormEps = 1e-5,
            RopeTheta = 10000.0,
            BosTokenId = 1,
            EosTokenId = JsonSerializer.SerializeToElement(2),
            PadTokenId = 0,
            TorchDtype = "float32",
        };
        return TinyModel.Of(new LlamaForCausalLM(config), path => config.Save(path));
    }
}
