using System.ComponentModel;
using System.Globalization;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;
using MseLab.Store;
using MseLab.Store.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Sweeps;

/// <summary><c>mselab sweep status [SWEEP]</c>: every sweep's counts, or one sweep's cells.</summary>
internal sealed class SweepStatusCommand : AsyncCommand<SweepStatusCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandArgument(0, "[SWEEP]")]
        [Description("A sweep name; without it, all sweeps in the store are listed.")]
        public string? Sweep { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var store = new ResultQueries(database);
        var sweeps = await store.SweepsAsync(settings.Sweep, cancellationToken);
        if (settings.Sweep is not null && sweeps.Count == 0)
        {
            throw new KeyNotFoundException($"No sweep named '{settings.Sweep}' in the results store at {database.Location}. `mselab sweep status` lists them.");
        }

        var summary = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "sweep", "total", "queued", "running", "succeeded", "failed", "cancelled", "pruned", "state" })
        {
            summary.AddColumn(column);
        }

        foreach (var s in sweeps)
        {
            var state = s.Cancelled ? "cancelled" : s.Finished ? "finished" : "active";
            summary.AddRow(Markup.Escape(s.Id), $"{s.Total}", $"{s.Queued}", $"{s.Running}", $"{s.Succeeded}", $"{s.Failed}", $"{s.CancelledCells}", $"{s.Pruned}", state);
        }

        AnsiConsole.Write(summary);
        if (settings.Sweep is null)
        {
            return 0;
        }

        var cells = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "backbone", "dataset", "lr", "seed", "status", "attempt", "device", "epoch", "best valid", "error" })
        {
            cells.AddColumn(column);
        }

        foreach (var t in await store.TrialsAsync(settings.Sweep, cancellationToken: cancellationToken))
        {
            cells.AddRow(
                Markup.Escape(Path.GetFileName(Path.TrimEndingDirectorySeparator(t.Backbone))),
                Markup.Escape(DatasetRef.TryParse(t.Dataset, out var dataset, out _) ? dataset.Label : t.Dataset),
                t.LearningRate.ToString("G3", CultureInfo.InvariantCulture),
                $"{t.Seed}",
                t.Status == TrialStatus.Failed ? "[red]failed[/]" : t.Status.ToString().ToLowerInvariant(),
                $"{t.Attempt}",
                Markup.Escape(t.Device ?? ""),
                $"{t.Epoch}",
                t.BestValidation?.ToString("F4", CultureInfo.InvariantCulture) ?? "",
                Markup.Escape(t.Error ?? ""));
        }

        AnsiConsole.Write(cells);

        // Every attempt that did not simply succeed: lost workers, retried faults, hand-backs, the final failure.
        var attempts = (await store.AttemptsAsync(settings.Sweep, cancellationToken: cancellationToken)).Where(a => a.Outcome != AttemptOutcome.Succeeded).ToList();
        if (attempts.Count > 0)
        {
            var history = new Table().Border(TableBorder.Simple).Title("attempts that did not succeed");
            foreach (var column in new[] { "cell", "attempt", "device", "ended", "outcome", "reason" })
            {
                history.AddColumn(column);
            }

            foreach (var a in attempts)
            {
                history.AddRow(
                    Markup.Escape(a.TrialKey[..Math.Min(12, a.TrialKey.Length)]),
                    $"{a.Attempt}",
                    Markup.Escape(a.Device ?? ""),
                    a.EndedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                    a.Outcome == AttemptOutcome.Failed ? "[red]failed[/]" : Markup.Escape(Words.Of(a.Outcome)),
                    Markup.Escape(a.Reason ?? ""));
            }

            AnsiConsole.Write(history);
        }

        return 0;
    }
}
