using System.Globalization;
using MseLab.Experiments.Trials;
using MseLab.Grains;
using Spectre.Console;

namespace MseLab.Cli.Commands.Sweeps;

/// <summary>Follows a sweep grain until the sweep ends: a live table on a terminal, one line per change otherwise.</summary>
internal static class SweepLiveView
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static async Task<SweepProgress> FollowAsync(ISweepGrain grain, CancellationToken stopping)
    {
        var progress = await grain.GetProgressAsync();
        if (!Console.IsOutputRedirected)
        {
            await AnsiConsole.Live(Render(progress)).AutoClear(false).StartAsync(async live =>
            {
                while (!progress.Finished && !stopping.IsCancellationRequested)
                {
                    await Delay(stopping);
                    progress = await grain.GetProgressAsync();
                    live.UpdateTarget(Render(progress));
                }
            });
            return progress;
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        Report(progress, seen);
        while (!progress.Finished && !stopping.IsCancellationRequested)
        {
            await Delay(stopping);
            progress = await grain.GetProgressAsync();
            Report(progress, seen);
        }

        return progress;
    }

    private static async Task Delay(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(Poll, stopping);
        }
        catch (OperationCanceledException)
        {
            // stopping: the caller sees the token
        }
    }

    // Plain output: a line when a cell changes status or finishes an epoch.
    private static void Report(SweepProgress progress, Dictionary<string, string> seen)
    {
        foreach (var cell in progress.Cells)
        {
            var state = $"{cell.Status} {cell.Epoch} {cell.Metric}";
            if (seen.TryGetValue(cell.TrialKey, out var last) && last == state)
            {
                continue;
            }

            seen[cell.TrialKey] = state;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{Done(progress)}/{progress.Cells.Count}] {cell.Label}: {cell.Status.ToString().ToLowerInvariant()}{Detail(cell)}"));
        }
    }

    private static string Detail(CellProgress c) => c.Status == TrialStatus.Running || c.Metric is not null
        ? string.Create(CultureInfo.InvariantCulture, $" epoch {c.Epoch}{(c.Loss is { } l ? $" loss {l:F4}" : "")}{(c.Metric is { } m ? $" {c.MetricName} {m:F4}" : "")}{(c.Device is { } d && c.Status == TrialStatus.Running ? $" on {d}" : "")}")
        : "";

    private static int Done(SweepProgress p) => p.Cells.Count(c => c.Status is TrialStatus.Succeeded or TrialStatus.Failed or TrialStatus.Cancelled or TrialStatus.Pruned);

    private static string Pruned(SweepProgress p) => p.Count(TrialStatus.Pruned) is > 0 and var n ? $", {n} pruned" : "";

    private static Table Render(SweepProgress progress)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(string.Create(CultureInfo.InvariantCulture,
                $"{progress.SweepId}: {Done(progress)}/{progress.Cells.Count} done, {progress.Count(TrialStatus.Running)} running, {progress.Count(TrialStatus.Failed)} failed{Pruned(progress)}{Eta(progress)}"));
        foreach (var column in new[] { "trial", "status", "device", "epoch", "loss", "metric", "ETA" })
        {
            table.AddColumn(column);
        }

        foreach (var c in progress.Cells)
        {
            var status = c.Status switch
            {
                TrialStatus.Running => "[yellow]running[/]",
                TrialStatus.Succeeded => "[green]done[/]",
                TrialStatus.Failed => "[red]failed[/]",
                TrialStatus.Cancelled => "[grey]cancelled[/]",
                TrialStatus.Pruned => "[blue]pruned[/]",
                _ => "queued",
            };
            table.AddRow(
                Markup.Escape(c.Label),
                status,
                Markup.Escape(c.Device ?? ""),
                c.Status == TrialStatus.Running && c.StepsInEpoch > 0 ? $"{c.Epoch} ({c.Step}/{c.StepsInEpoch})" : c.Epoch.ToString(CultureInfo.InvariantCulture),
                c.Loss is { } loss ? loss.ToString("F4", CultureInfo.InvariantCulture) : "",
                c.Metric is { } metric ? Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{c.MetricName} {metric:F4}")) : "",
                CellEta(c));
        }

        return table;
    }

    private static string CellEta(CellProgress c) =>
        c.Status == TrialStatus.Running && c.SecondsPerEpoch is { } s && c.MaxEpochs is { } max && max > c.Epoch
            ? string.Create(CultureInfo.InvariantCulture, $"≤{TimeSpan.FromSeconds(s * (max - c.Epoch)):mm\\:ss}")
            : "";

    private static string Eta(SweepProgress p)
    {
        var perEpoch = p.Cells.Where(c => c.SecondsPerEpoch is not null).Select(c => c.SecondsPerEpoch!.Value).DefaultIfEmpty().Average();
        var running = Math.Max(1, p.Count(TrialStatus.Running));
        var maxEpochs = p.Cells.Select(c => c.MaxEpochs ?? 0).DefaultIfEmpty().Max();
        if (perEpoch <= 0 || maxEpochs == 0)
        {
            return "";
        }

        var remaining = p.Cells.Sum(c => c.Status switch
        {
            TrialStatus.Queued => maxEpochs,
            TrialStatus.Running => Math.Max(0, maxEpochs - c.Epoch),
            _ => 0,
        });
        return string.Create(CultureInfo.InvariantCulture, $", ETA ≤{TimeSpan.FromSeconds(perEpoch * remaining / running):hh\\:mm\\:ss}");
    }
}
