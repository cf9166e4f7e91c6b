using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Planning;
using MseLab.Experiments.Trials;
using MseLab.Training.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench plan</c>: the memory plan's estimate of one trial (train one epoch, then generate) against the peak
/// the trial reaches on the CPU, for the tiny preset and the 512x8 model. Each trial runs in a child process of its own;
/// the measurement is its peak resident set (VmHWM) less the resident set after torch was initialised.
/// </summary>
internal sealed class BenchPlanCommand : Command<BenchPlanCommand.Settings>
{
    private const double Band = 0.2;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <DIR>")]
        [Description("Folder of the 512x8 model; written with random weights if absent (default models/bench-512x8).")]
        [DefaultValue("models/bench-512x8")]
        public string Model { get; init; } = "models/bench-512x8";

        [CommandOption("--batch-size <N>")]
        [Description("Train and evaluation batch (default: the paper's, 8 for LLaMA on MOSEI).")]
        public int? BatchSize { get; init; }

        [CommandOption("--json")]
        [Description("Print the figures as JSON.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var tiny = TinyBackboneConsole.Locate(PresetBackbone.Tiny);
        var mid = MemoryBenchmark.EnsureModel(Path.GetFullPath(settings.Model));
        var rows = new[] { ("tiny", tiny), ("512x8", mid) }.Select(m => Measure(m.Item1, m.Item2, settings, cancellationToken)).ToList();
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, Indented));
        }
        else
        {
            Print(rows);
        }

        return rows.All(r => r.WithinBand) ? 0 : 1;
    }

    private static PlanCheck Measure(string name, string model, Settings settings, CancellationToken cancellationToken)
    {
        if (!settings.Json)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{name}: one trial in a child process...[/]");
        }

        var measured = MemoryScenarioProcess.Run("alone:0", model, settings.BatchSize, cancellationToken);
        var trial = TrialDefaults.Resolve(MemoryBenchmark.TrialConfig(0, model, settings.BatchSize));
        var shape = BackboneShapes.FromConfig(Path.Combine(model, "config.json"));
        var estimate = MemoryEstimator.Estimate(trial, shape, "cpu");
        const double Mib = 1024 * 1024;
        var grown = measured.PeakMegabytes - measured.BaselineMegabytes;
        var ratio = estimate.Peak / Mib / grown;
        return new PlanCheck(name, shape.Parameters, trial.BatchSize, MemoryEstimator.ContextLength(trial) + trial.MaxNewTokens,
            estimate.Weights / Mib, estimate.Adapter / Mib, estimate.TrainActivations / Mib, (estimate.EvalActivations + estimate.KvCache) / Mib,
            estimate.Runtime / Mib, estimate.Peak / Mib, measured.BaselineMegabytes, measured.PeakMegabytes, grown, ratio, Math.Abs(ratio - 1) <= Band);
    }

    private static void Print(IReadOnlyList<PlanCheck> rows)
    {
        static string Mb(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
        var table = new Table().Title("memory plan vs measured: one trial (1 epoch + generation), fp32, CPU, MB = MiB").AddColumn("figure");
        foreach (var row in rows)
        {
            table.AddColumn(new TableColumn(row.Preset).RightAligned());
        }

        void Row(string label, Func<PlanCheck, string> value) => table.AddRow([label, .. rows.Select(value)]);
        Row("backbone parameters", r => r.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        Row("batch / train sequence", r => $"{r.BatchSize} / {r.Sequence}");
        Row("estimate: weights", r => Mb(r.WeightsMb));
        Row("estimate: adapter + grads + AdamW", r => Mb(r.AdapterMb));
        Row("estimate: training activations", r => Mb(r.TrainMb));
        Row("estimate: evaluation activations + KV cache", r => Mb(r.EvalMb));
        Row("estimate: runtime", r => Mb(r.RuntimeMb));
        Row("[bold]estimate: peak[/]", r => Mb(r.EstimateMb));
        Row("measured: resident after torch init", r => Mb(r.BaselineMb));
        Row("measured: peak resident (VmHWM)", r => Mb(r.PeakMb));
        Row("[bold]measured: peak - after init[/]", r => Mb(r.MeasuredMb));
        Row($"estimate / measured (target {1 - Band:0.0}..{1 + Band:0.0})", r => r.Ratio.ToString("F2", CultureInfo.InvariantCulture) + (r.WithinBand ? " [green]met[/]" : " [red]missed[/]"));
        AnsiConsole.Write(table);
    }
}

/// <summary>One row of <c>mselab bench plan</c> (MB are MiB).</summary>
internal sealed record PlanCheck(
    string Preset,
    long Parameters,
    int BatchSize,
    int Sequence,
    double WeightsMb,
    double AdapterMb,
    double TrainMb,
    double EvalMb,
    double RuntimeMb,
    double EstimateMb,
    double BaselineMb,
    double PeakMb,
    double MeasuredMb,
    double Ratio,
    bool WithinBand);
