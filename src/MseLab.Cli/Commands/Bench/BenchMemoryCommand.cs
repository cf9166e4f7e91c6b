using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using MseLab.Training.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench memory</c>: peak resident memory of loading the 512x8 preset and of trials sharing one frozen
/// backbone, each scenario in a child process of its own (VmHWM), and whether concurrent trials give the metrics of
/// trials run alone.
/// </summary>
internal sealed class BenchMemoryCommand : Command<BenchMemoryCommand.Settings>
{
    private const double TrialRatioTarget = 1.3;
    private const double LoadHeadroomTargetMb = 300;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--trials <N>")]
        [Description("Concurrent trials sharing one backbone (default 4).")]
        [DefaultValue(4)]
        public int Trials { get; init; } = 4;

        [CommandOption("--model <DIR>")]
        [Description("Folder of the 512x8 model; written with random weights if absent (default models/bench-512x8).")]
        [DefaultValue("models/bench-512x8")]
        public string Model { get; init; } = "models/bench-512x8";

        [CommandOption("--batch-size <N>")]
        [Description("Train and evaluation batch of the trials (default: the paper's, 8 for LLaMA on MOSEI).")]
        public int? BatchSize { get; init; }

        [CommandOption("--json")]
        [Description("Print the figures as JSON.")]
        public bool Json { get; init; }

        [CommandOption("--scenario <NAME>")]
        [Description("Run one scenario in this process and print its JSON (used by the child processes).")]
        public string? Scenario { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var model = Path.GetFullPath(settings.Model);
        var work = Path.Combine(Path.GetTempPath(), $"mselab-bench-memory-{Environment.ProcessId}");
        if (settings.Scenario is { } scenario)
        {
            Console.WriteLine(MemoryBenchmark.ToJson(MemoryBenchmark.Run(scenario, model, work, settings.BatchSize)));
            return 0;
        }

        MemoryBenchmark.EnsureModel(model);
        try
        {
            var figures = Measure(model, settings, cancellationToken);
            if (settings.Json)
            {
                Console.WriteLine(JsonSerializer.Serialize(figures, Indented));
            }
            else
            {
                Print(figures, settings.Trials);
            }

            return figures.LoadWithinTarget && figures.TrialsWithinTarget && figures.MaxMetricDifference == 0 ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static MemoryFigures Measure(string model, Settings settings, CancellationToken cancellationToken)
    {
        MemoryScenarioResult Child(string scenario)
        {
            if (!settings.Json)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]scenario {scenario}...[/]");
            }

            return MemoryScenarioProcess.Run(scenario, model, settings.BatchSize, cancellationToken);
        }

        var weightsMb = MemoryBenchmark.WeightBytes(model) / (1024.0 * 1024.0);
        var load = Child("load");
        var eager = Child("load-eager");
        var alone = Enumerable.Range(0, settings.Trials).Select(i => Child($"alone:{i}")).ToList();
        var together = Child($"together:{settings.Trials}");
        var turns = Child($"turns:{settings.Trials}");
        var separate = Child($"separate:{settings.Trials}");
        var maxDiff = new[] { together, turns }.Max(run => alone.Select((a, i) => a.Metrics[0].Zip(run.Metrics[i], MemoryBenchmark.Difference).DefaultIfEmpty(0).Max()).Max());
        var oneTrial = alone.Max(a => a.PeakMegabytes);
        return new MemoryFigures(
            weightsMb,
            load.PeakMegabytes, load.BaselineMegabytes, load.Seconds, eager.PeakMegabytes, eager.Seconds,
            oneTrial, together.PeakMegabytes, together.PeakMegabytes / oneTrial, together.Seconds, separate.PeakMegabytes,
            maxDiff, 2 * alone.Sum(a => a.Metrics[0].Length))
        {
            TurnsPeakMb = turns.PeakMegabytes,
            TurnsRatio = turns.PeakMegabytes / oneTrial,
            TurnsSeconds = turns.Seconds,
            AloneSeconds = alone.Sum(a => a.Seconds),
            LoadWithinTarget = load.PeakMegabytes <= weightsMb + LoadHeadroomTargetMb,
            TrialsWithinTarget = turns.PeakMegabytes / oneTrial <= TrialRatioTarget,
        };
    }

    private static void Print(MemoryFigures f, int trials)
    {
        static string Mb(double value) => value.ToString("F0", CultureInfo.InvariantCulture);
        var table = new Table().Title("memory: 512x8 LLaMA preset, fp32, CPU, one process per scenario (peak = VmHWM)").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("weights (MB)", Mb(f.WeightsMb));
        table.AddRow("process after torch init (MB)", Mb(f.BaselineMb));
        table.AddRow("peak while loading, streamed on meta (MB)", Mb(f.LoadPeakMb));
        table.AddRow($"  target <= weights + {LoadHeadroomTargetMb:F0} MB", f.LoadWithinTarget ? "[green]met[/]" : "[red]missed[/]");
        table.AddRow("peak while loading, before (random init + whole file) (MB)", Mb(f.EagerLoadPeakMb));
        table.AddRow("load time streamed / before (s)", string.Create(CultureInfo.InvariantCulture, $"{f.LoadSeconds:F2} / {f.EagerLoadSeconds:F2}"));
        table.AddRow("peak of 1 trial alone (MB, max over the trials)", Mb(f.OneTrialPeakMb));
        table.AddRow($"peak of {trials} concurrent trials, one backbone, steps in turns (GPU default) (MB)", Mb(f.TurnsPeakMb));
        table.AddRow($"  ratio to 1 trial (target <= {TrialRatioTarget})", f.TurnsRatio.ToString("F2", CultureInfo.InvariantCulture) + (f.TrialsWithinTarget ? " [green]met[/]" : " [red]missed[/]"));
        table.AddRow($"peak of {trials} concurrent trials, one backbone, steps at once (CPU default) (MB)", Mb(f.ConcurrentPeakMb));
        table.AddRow("  ratio to 1 trial", f.ConcurrentRatio.ToString("F2", CultureInfo.InvariantCulture));
        table.AddRow($"peak of {trials} concurrent trials, a backbone each (before) (MB)", Mb(f.SeparatePeakMb));
        table.AddRow($"wall time: {trials} trials one after another / in turns / at once (s)", string.Create(CultureInfo.InvariantCulture, $"{f.AloneSeconds:F1} / {f.TurnsSeconds:F1} / {f.ConcurrentSeconds:F1}"));
        table.AddRow($"max |metric diff|, concurrent vs alone ({f.MetricsCompared} numbers)", f.MaxMetricDifference.ToString("G6", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }
}

/// <summary>The figures of <c>mselab bench memory</c> (MB are MiB).</summary>
internal sealed record MemoryFigures(
    double WeightsMb,
    double LoadPeakMb,
    double BaselineMb,
    double LoadSeconds,
    double EagerLoadPeakMb,
    double EagerLoadSeconds,
    double OneTrialPeakMb,
    double ConcurrentPeakMb,
    double ConcurrentRatio,
    double ConcurrentSeconds,
    double SeparatePeakMb,
    double MaxMetricDifference,
    int MetricsCompared)
{
    public double TurnsPeakMb { get; init; }

    public double TurnsRatio { get; init; }

    public double TurnsSeconds { get; init; }

    public double AloneSeconds { get; init; }

    public bool LoadWithinTarget { get; init; }

    public bool TrialsWithinTarget { get; init; }
}
