using System.ComponentModel;
using System.Text.Json.Nodes;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Presets;
using MseLab.Models.Adapter;
using MseLab.Models.Runtime;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

/// <summary><c>mselab adapter params</c>: the MSE-Adapter's trainable-parameter count for one paper configuration.</summary>
internal sealed class AdapterParamsCommand : Command<AdapterParamsCommand.Settings>
{
    /// <summary>Exit code for an unknown or missing backbone or dataset.</summary>
    public const int UsageError = 2;

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--backbone <BACKBONE>")]
        [Description("Frozen LLM of the paper configuration: llama2-7b, qwen-1.8b or chatglm3-6b-base.")]
        public string? Backbone { get; init; }

        [CommandOption("--dataset <DATASET>")]
        [Description("Dataset of the paper configuration: mosei, simsv2, meld or cherma.")]
        public string? Dataset { get; init; }

        [CommandOption("--json")]
        [Description("Print {\"backbone\", \"dataset\", \"trainable_parameters\", \"modules\": {block: count}} instead of the plain number.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (Problem(settings) is { } problem)
        {
            Console.Error.WriteLine($"mselab adapter params: {problem}");
            return UsageError;
        }

        TorchRuntime.Initialize();
        var preset = PaperPresets.Get(settings.Backbone!, settings.Dataset!);
        var count = MseAdapter.CountTrainableParameters(preset.Adapter);
        if (!settings.Json)
        {
            Console.Out.WriteLine(count.Total);
            return 0;
        }

        var modules = new JsonObject();
        foreach (var module in count.Modules)
        {
            modules[module.Name] = module.Parameters;
        }

        var json = new JsonObject
        {
            ["backbone"] = preset.Backbone,
            ["dataset"] = PaperDatasets.Info(preset.Dataset).Name,
            ["trainable_parameters"] = count.Total,
            ["modules"] = modules,
        };
        Console.Out.WriteLine(json.ToJsonString());
        return 0;
    }

    private static string? Problem(Settings settings)
    {
        string Valid(IEnumerable<string> names) => string.Join(", ", names);

        if (string.IsNullOrWhiteSpace(settings.Backbone))
        {
            return $"--backbone is required. Valid backbones: {Valid(PaperPresets.Backbones)}.";
        }

        if (!BackboneFamilies.TryParsePaperName(settings.Backbone, out _))
        {
            return $"unknown --backbone '{settings.Backbone}'. Valid backbones: {Valid(PaperPresets.Backbones)}.";
        }

        if (string.IsNullOrWhiteSpace(settings.Dataset))
        {
            return $"--dataset is required. Valid datasets: {Valid(PaperPresets.Datasets)}.";
        }

        if (!PaperDatasets.TryParse(settings.Dataset, out _))
        {
            return $"unknown --dataset '{settings.Dataset}'. Valid datasets: {Valid(PaperPresets.Datasets)}.";
        }

        return null;
    }
}
