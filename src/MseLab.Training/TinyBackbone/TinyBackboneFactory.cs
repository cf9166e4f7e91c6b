using System.Text.Json;
using System.Text.Json.Serialization;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Models.Checkpoints;
using MseLab.Models.Backbones;
using MseLab.Models.Prompting;
using MseLab.Models.Runtime;
using MseLab.Training.Prompts;

namespace MseLab.Training.TinyBackbone;

/// <summary>What pretraining achieved: final losses and how often greedy decoding reproduces the cue's label.</summary>
public sealed record TinyBackboneReport(int Seed, int Steps, int VocabSize, long Parameters, double FinalLoss, double MoseiSignAccuracy, double MeldAccuracy, double Seconds,
    BackboneFamily Family = BackboneFamily.Llama2);

/// <summary>
/// Creates a small but real checkpoint of a backbone family in the exact folder layout of the real ones (LLaMA:
/// tokenizer.json; Qwen-1: qwen.tiktoken; ChatGLM3: tokenizer.model; config.json and model.safetensors for all): trains
/// the family's tokenizer on a generated corpus, pretrains the model on it with full backpropagation, and writes
/// everything exactly as transformers would read it.
/// </summary>
public static class TinyBackboneFactory
{
    public const string ReportFile = "mselab-tiny.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <summary>What pretraining of the tiny backbone in <paramref name="directory"/> achieved, or null when it has no report.</summary>
    public static TinyBackboneReport? ReadReport(string directory)
    {
        var path = Path.Combine(directory, ReportFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<TinyBackboneReport>(File.ReadAllText(path), Json) : null;
    }

    public static TinyBackboneReport Create(string directory, TinyBackboneOptions options, IProgress<(int Step, double Loss)>? progress = null)
    {
        TorchRuntime.Initialize();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        var family = TinyFamily.For(options.Family);
        var profile = BackboneProfiles.For(options.Family);

        family.WriteTokenizer(directory, new TinyCorpus(options.Seed + 1).TokenizerCorpus(profile, 3000), options);
        using var tokenizer = BackboneLoader.LoadTokenizer(directory, options.Family);

        var templates = new Dictionary<PaperDataset, PromptTemplate>
        {
            [PaperDataset.Mosei] = PromptTemplates.Build(profile, tokenizer, PaperDataset.Mosei),
            [PaperDataset.Meld] = PromptTemplates.Build(profile, tokenizer, PaperDataset.Meld),
        };
        var pretraining = new TinyPretraining(tokenizer, templates, options);
        using var model = pretraining.Train(() => family.CreateModel(tokenizer.VocabSize, options), progress, out var finalLoss);
        var (moseiSign, meldAccuracy) = pretraining.Probe(model.Backbone);

        model.SaveConfig(Path.Combine(directory, "config.json"));
        HfCheckpoint.Save(model.Module, directory);
        var report = new TinyBackboneReport(options.Seed, options.Steps, model.Backbone.VocabSize, model.Module.parameters().Sum(p => p.numel()), finalLoss, moseiSign, meldAccuracy, clock.Elapsed.TotalSeconds, options.Family);
        File.WriteAllText(Path.Combine(directory, ReportFile), JsonSerializer.Serialize(report, Json));
        return report;
    }
}
