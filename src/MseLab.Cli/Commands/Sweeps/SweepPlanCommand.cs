using System.ComponentModel;
using System.Globalization;
using MseLab.Experiments.Planning;
using MseLab.Experiments.Sweeps;
using MseLab.Store;
using MseLab.Store.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Sweeps;

/// <summary>
/// <c>mselab sweep plan FILE</c>: the device memory each distinct cell of a sweep needs, by part (frozen weights,
/// adapter with gradients and AdamW state, training activations, evaluation activations and KV cache, runtime), read
/// from the backbones' config.json; with <c>--cluster</c>, which registered devices fit. Nothing is loaded or stored.
/// </summary>
internal sealed class SweepPlanCommand : AsyncCommand<SweepPlanCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("Sweep file (YAML), e.g. experiments/paper.yaml.")]
        public string File { get; init; } = "";

        [CommandOption("--models <DIR>")]
        [Description("Where the tiny presets were made (their config.json is read there; default sizes before they exist). Default: models.")]
        [DefaultValue(BackboneShapes.DefaultModelsDirectory)]
        public string Models { get; init; } = BackboneShapes.DefaultModelsDirectory;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var sweep = SweepParser.Parse(settings.File);   // every error, with file:line:column (the error handler prints them, exit 2)
        var plan = SweepMemoryPlan.For(sweep, settings.Models);
        IReadOnlyList<WorkerDevice> devices = [];
        if (settings.Cluster is { } profile)
        {
            using var database = await LocalStore.OpenAsync(profile, cancellationToken);
            devices = [.. (await new WorkerRegistry(database, new StoreClock(database)).ListAsync(cancellationToken)).SelectMany(w => w.Devices)];
        }

        static string Gb(long bytes) => MemoryEstimate.Gb(bytes).ToString("0.00", CultureInfo.InvariantCulture);
        var table = new Table().Title($"memory plan of {Markup.Escape(sweep.Name)} on {sweep.DeviceKind} (GB = GiB)");
        foreach (var column in new[] { "backbone", "dataset", "precision", "batch / eval", "seq", "cells", "params", "weights", "adapter+AdamW", "train act.", "eval act.", "KV cache", "runtime", "peak" })
        {
            table.AddColumn(new TableColumn(column) { Alignment = column is "backbone" or "dataset" or "precision" ? Justify.Left : Justify.Right });
        }

        if (settings.Cluster is not null)
        {
            table.AddColumn("devices that fit");
        }

        foreach (var row in plan.Rows)
        {
            var e = row.Estimate;
            var cells = new List<string>
            {
                Markup.Escape(row.Backbone), Markup.Escape(row.Dataset), Markup.Escape(Experiments.Trials.TrialPrecisionNames.ToName(row.Precision)),
                $"{row.BatchSize} / {row.EvalBatchSize}", row.TrainSequence.ToString(CultureInfo.InvariantCulture), row.Cells.ToString(CultureInfo.InvariantCulture),
                (row.Shape.Parameters / 1e9).ToString("0.000", CultureInfo.InvariantCulture) + " B",
                Gb(e.Weights), Gb(e.Adapter), Gb(e.TrainActivations), Gb(e.EvalActivations), Gb(e.KvCache), Gb(e.Runtime), $"[bold]{Gb(e.Peak)}[/]",
            };
            if (settings.Cluster is not null)
            {
                var fit = devices.Where(d => d.Fits(sweep.DeviceKind, e.PeakGb)).Select(d => d.Key).ToList();
                cells.Add(fit.Count == 0 ? "[red]none[/]" : Markup.Escape(string.Join(", ", fit)));
            }

            table.AddRow([.. cells]);
        }

        AnsiConsole.Write(table);
        var peak = plan.PeakGb.ToString("0.00", CultureInfo.InvariantCulture);
        if (sweep.MemoryGb is { } declared)
        {
            AnsiConsole.MarkupLineInterpolated($"memory_gb: {declared.ToString("0.#", CultureInfo.InvariantCulture)} is declared in {settings.File}: submission asks for it, not for the estimate ({peak} GB).");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"No memory_gb in {settings.File}: submission asks each cell for the largest estimate, {(Math.Ceiling(plan.PeakGb * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture)} GB.");
        }

        if (settings.Cluster is not null && devices.Count == 0)
        {
            AnsiConsole.MarkupLine("No worker has registered yet: `mselab worker list` shows them once they start.");
        }

        return 0;
    }
}
