using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Models.Checkpoints;
using MseLab.Models.Llama;
using MseLab.Models.Prompting;
using MseLab.Models.Runtime;
using MseLab.Models.Tokenization;
using MseLab.Training.Prompts;

namespace MseLab.Training.TinyBackbone;

/// <summary>What pretraining achieved: final losses and how often greedy decoding reproduces the cue's label.</summary>
public sealed record TinyBackboneReport(int Seed, int Steps, int VocabSize, long Parameters, double FinalLoss, double MoseiSignAccuracy, double MeldAccuracy, double Seconds);

/// <summary>
/// Creates a small but real LLaMA checkpoint in the Hugging Face layout (config.json, model.safetensors,
/// tokenizer.json, tokenizer_config.json): trains a BPE tokenizer on a generated corpus, pretrains the model on it
/// with full backpropagation, and writes everything exactly as transformers would read it.
/// </summary>
public static class TinyBackboneFactory
{
    public const string ReportFile = "mselab-tiny.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>What pretraining of the tiny backbone in <paramref name="directory"/> achieved, or null when it has no report.</summary>
    public static TinyBackboneReport? ReadReport(string directory)
    {
        var path = Path.Combine(directory, ReportFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<TinyBackboneReport>(File.ReadAllText(path)) : null;
    }

    public static TinyBackboneReport Create(string directory, TinyBackboneOptions options, IProgress<(int Step, double Loss)>? progress = null)
    {
        TorchRuntime.Initialize();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        var profile = BackboneProfiles.For(BackboneFamily.Llama2);

        var tokenizerPath = Path.Combine(directory, "tokenizer.json");
        File.WriteAllText(tokenizerPath, BpeTokenizerTrainer.Train(new TinyCorpus(options.Seed + 1).TokenizerCorpus(profile, 3000), options.VocabSize));
        WriteTokenizerConfig(directory);
        using var tokenizer = new HfJsonTokenizer(tokenizerPath);

        var config = new LlamaConfig
        {
            Architectures = ["LlamaForCausalLM"],
            ModelType = "llama",
            VocabSize = tokenizer.VocabSize,
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

        var templates = new Dictionary<PaperDataset, PromptTemplate>
        {
            [PaperDataset.Mosei] = PromptTemplates.Build(profile, tokenizer, PaperDataset.Mosei),
            [PaperDataset.Meld] = PromptTemplates.Build(profile, tokenizer, PaperDataset.Meld),
        };
        var pretraining = new TinyPretraining(tokenizer, templates, options);
        using var model = pretraining.Train(config, progress, out var finalLoss);
        var (moseiSign, meldAccuracy) = pretraining.Probe(model);

        config.Save(Path.Combine(directory, "config.json"));
        HfCheckpoint.Save(model, directory);
        var report = new TinyBackboneReport(options.Seed, options.Steps, config.VocabSize, model.parameters().Sum(p => p.numel()), finalLoss, moseiSign, meldAccuracy, clock.Elapsed.TotalSeconds);
        File.WriteAllText(Path.Combine(directory, ReportFile), JsonSerializer.Serialize(report, Json));
        return report;
    }

    private static void WriteTokenizerConfig(string directory)
    {
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
}
