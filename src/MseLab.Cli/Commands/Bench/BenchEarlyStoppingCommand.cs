using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using MseLab.Experiments.EarlyStopping;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench early-stopping</c>: the same synthetic sweep on the tiny backbone run to the end and with ASHA (seed-group
/// means at each rung); prints the best configuration of each run and the epochs each trained.
/// </summary>
internal sealed class BenchEarlyStoppingCommand : AsyncCommand<BenchEarlyStoppingCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--configs <N>")]
        [Description("Configurations: learning rates drawn log-uniform over 1e-5 .. 1e-1, the same draws in both runs (default 12).")]
        [DefaultValue(12)]
        public int Configurations { get; init; } = 12;

        [CommandOption("--seeds <N>")]
        [Description("Seeds per configuration (default 3).")]
        [DefaultValue(3)]
        public int Seeds { get; init; } = 3;

        [CommandOption("--epochs <N>")]
        [Description("max_epochs of every trial (default 9: rungs at 1 and 3 with the default grace and factor).")]
        [DefaultValue(9)]
        public int Epochs { get; init; } = 9;

        [CommandOption("--train <N>")]
        [Description("Synthetic training samples per trial (default 32; validation and test have 32).")]
        [DefaultValue(32)]
        public int Train { get; init; } = 32;

        [CommandOption("--workers <N>")]
        [Description("Embedded CPU devices, i.e. trials at once (default 2).")]
        [DefaultValue(2)]
        public int Workers { get; init; } = 2;

        [CommandOption("--grace-epochs <N>")]
        [Description("ASHA's first rung (default 1).")]
        [DefaultValue(EarlyStoppingRule.DefaultGraceEpochs)]
        public int GraceEpochs { get; init; } = EarlyStoppingRule.DefaultGraceEpochs;

        [CommandOption("--reduction-factor <N>")]
        [Description("ASHA's η (default 3).")]
        [DefaultValue(EarlyStoppingRule.DefaultReductionFactor)]
        public int ReductionFactor { get; init; } = EarlyStoppingRule.DefaultReductionFactor;

        [CommandOption("--backbone <DIR>")]
        [Description("A tiny model folder to use instead of the tiny preset (made in ./models on first use).")]
        public string? Backbone { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object: {\"full_best\": ..., \"asha_best\": ..., \"epochs_full\": N, \"epochs_asha\": N, ...}.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Configurations < 2 || Seeds < 1 || Epochs < 2 || Train < 8 || Workers is < 1 or > 64 || GraceEpochs < 1 || ReductionFactor < 2
                ? ValidationResult.Error("--configs must be >= 2, --seeds >= 1, --epochs >= 2, --train >= 8, --workers 1..64, --grace-epochs >= 1 and --reduction-factor >= 2.")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plan = new EarlyStoppingBench.Plan(settings.Configurations, settings.Seeds, settings.Epochs, settings.Train, settings.Workers, settings.GraceEpochs, settings.ReductionFactor,
            settings.Backbone is null ? null : Path.GetFullPath(settings.Backbone));
        var figures = await RunAsync(plan, settings.Json ? null : AnsiConsole.Console, cancellationToken);
        Write(figures, settings.Json);
        return figures.Full.FailedCells + figures.Asha.FailedCells == 0 ? 0 : 1;
    }

    /// <summary>Both runs of <paramref name="plan"/>, each on a fresh store in a temporary folder; <paramref name="console"/> (if any) hears what runs.</summary>
    public static async Task<EarlyStoppingFigures> RunAsync(EarlyStoppingBench.Plan plan, IAnsiConsole? console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Backbone is null)
        {
            EarlyStoppingBench.EnsureTinyBackbone();
        }
        var folder = Directory.CreateTempSubdirectory("mselab-bench-es-");
        try
        {
            var rule = new EarlyStoppingRule(EarlyStoppingMethod.Asha, EarlyStoppingBench.Metric, plan.GraceEpochs, plan.ReductionFactor);
            console?.MarkupLineInterpolated($"[grey]{plan.Configurations} configurations x {plan.Seeds} seeds, {plan.MaxEpochs} epochs each, on {plan.Workers} embedded devices: the full run...[/]");
            var full = await EarlyStoppingBench.RunAsync(plan, EarlyStoppingBench.Sweep(plan, Path.Combine(folder.FullName, "bench-es-full.yaml"), rule: null), folder.FullName, cancellationToken);
            console?.MarkupLineInterpolated($"[grey]... {full.Epochs} epochs in {full.Seconds:F0} s; with ASHA (grace {plan.GraceEpochs}, η {plan.ReductionFactor}, on the seed groups' mean {EarlyStoppingBench.Metric})...[/]");
            var asha = await EarlyStoppingBench.RunAsync(plan, EarlyStoppingBench.Sweep(plan, Path.Combine(folder.FullName, "bench-es-asha.yaml"), rule), folder.FullName, cancellationToken);
            return new EarlyStoppingFigures(plan, full, asha);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Write(EarlyStoppingFigures f, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(f.Json()));
            return;
        }

        var table = new Table().Title($"early stopping: {f.Plan.Configurations} configurations x {f.Plan.Seeds} seeds, {f.Plan.MaxEpochs} epochs, tiny backbone, synthetic MOSEI")
            .AddColumn("figure").AddColumn(new TableColumn("full").RightAligned()).AddColumn(new TableColumn("ASHA").RightAligned());
        table.AddRow("best seed group (mean best validation mae)", Best(f.Full.Best), Best(f.Asha.Best));
        table.AddRow("epochs trained", $"{f.Full.Epochs}", $"{f.Asha.Epochs}");
        table.AddRow("cells pruned (attempts pruned)", $"{f.Full.PrunedCells} ({f.Full.PrunedAttempts})", $"{f.Asha.PrunedCells} ({f.Asha.PrunedAttempts})");
        table.AddRow("wall time (s)", F(f.Full.Seconds), F(f.Asha.Seconds));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(
            $"Same best configuration: {(f.SameBest ? "yes" : "no")}; ASHA trained {f.EpochRatio:P0} of the full run's epochs (aim: at most 50%).");
    }

    private static string Best(BestGroup? b) => b is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{b.Config}: {b.Mean:F4}");

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
