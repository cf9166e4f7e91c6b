using System.ComponentModel;
using MseLab.Experiments.Backbones;
using MseLab.Models.Runtime;
using MseLab.Training.TinyBackbone;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

/// <summary><c>mselab backbone create-tiny DIR [--family llama|qwen|chatglm3]</c>: a small pretrained model in the exact folder layout of its family.</summary>
internal sealed class BackboneCreateTinyCommand : Command<BackboneCreateTinyCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>")]
        [Description("Folder to write config.json, model.safetensors and the family's tokenizer files into (LLaMA: tokenizer.json; Qwen: qwen.tiktoken; ChatGLM3: tokenizer.model).")]
        public string Directory { get; init; } = "";

        [CommandOption("--family <FAMILY>")]
        [Description("llama (default), qwen or chatglm3: the folder layout, tokenizer and decoder of that family's real models.")]
        [DefaultValue("llama")]
        public string Family { get; init; } = "llama";

        [CommandOption("--seed <N>")]
        [Description("Seed of the corpus, tokenizer and pretraining (default 0).")]
        [DefaultValue(0)]
        public int Seed { get; init; }

        [CommandOption("--steps <N>")]
        [Description("Pretraining steps (default 300).")]
        public int? Steps { get; init; }

        [CommandOption("--hidden <N>")]
        [Description("Hidden size (default 64).")]
        public int? Hidden { get; init; }

        [CommandOption("--layers <N>")]
        [Description("Decoder layers (default 2).")]
        public int? Layers { get; init; }

        [CommandOption("--force")]
        [Description("Overwrite a folder that already holds a model.")]
        public bool Force { get; init; }

        public override ValidationResult Validate() => ParseFamily(Family) is null
            ? ValidationResult.Error($"--family '{Family}' is not a family MseLab makes tiny models of. Use llama, qwen or chatglm3.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(settings.Directory, "config.json")) && !settings.Force)
        {
            throw new ArgumentException($"{settings.Directory} already holds a model (config.json). Pass --force to overwrite it.");
        }

        TorchRuntime.SetThreads(1);
        var defaults = new TinyBackboneOptions();
        var options = defaults with
        {
            Family = ParseFamily(settings.Family)!.Value,
            Seed = settings.Seed,
            Steps = settings.Steps ?? defaults.Steps,
            HiddenSize = settings.Hidden ?? defaults.HiddenSize,
            IntermediateSize = settings.Hidden is { } h ? (int)Math.Ceiling(h * 8 / 3.0 / 8) * 8 : defaults.IntermediateSize,
            Layers = settings.Layers ?? defaults.Layers,
            Heads = settings.Hidden is { } hh ? Math.Max(1, hh / 16) : defaults.Heads,
            KeyValueHeads = settings.Hidden is { } hk ? Math.Max(1, hk / 32) : defaults.KeyValueHeads,
        };

        TinyBackboneConsole.Create(settings.Directory, options);
        return 0;
    }

    private static BackboneFamily? ParseFamily(string name) => name.Trim().ToLowerInvariant() switch
    {
        "llama" or "llama2" => BackboneFamily.Llama2,
        "qwen" or "qwen1" => BackboneFamily.Qwen1,
        "chatglm3" or "chatglm" => BackboneFamily.ChatGLM3,
        _ => null,
    };
}
