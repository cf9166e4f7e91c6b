using System.ComponentModel;
using MseLab.Models.Runtime;
using MseLab.Training.TinyBackbone;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

/// <summary><c>mselab backbone create-tiny DIR</c>: a small pretrained LLaMA in the exact Hugging Face layout.</summary>
internal sealed class BackboneCreateTinyCommand : Command<BackboneCreateTinyCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>")]
        [Description("Folder to write config.json, model.safetensors, tokenizer.json and tokenizer_config.json into.")]
        public string Directory { get; init; } = "";

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
}
