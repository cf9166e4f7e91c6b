using System.ComponentModel;
using MseLab.Experiments.Metrics;
using MseLab.Reporting.Curves;
using MseLab.Store;
using MseLab.Store.Records;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Plots;

/// <summary><c>mselab plot leaderboard</c>: one bar per group, the mean of a test metric, error bars = sample std over the finished cells.</summary>
internal sealed class PlotLeaderboardCommand : AsyncCommand<PlotLeaderboardCommand.Settings>
{
    public sealed class Settings : PlotSettings
    {
        [CommandOption("--sweep <SWEEP>")]
        [Description("Only this sweep (default: every sweep in the store).")]
        public string? Sweep { get; init; }

        [CommandOption("--metric <METRIC>")]
        [Description("The test metric of the bars (mae, has0_acc2, weighted_f1, ...). Default: the task's selection metric (mae, or weighted_f1 for MELD/CHERMA).")]
        public string? Metric { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var file = PlotFile.Parse(settings.Out);
        var where = settings.Filter();
        var groupBy = settings.GroupBy?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var queries = new ResultQueries(database);
        var groups = await queries.LeaderboardAsync(settings.Sweep, where, groupBy, cancellationToken);
        if (groups.Count == 0)
        {
            throw where is not null && (settings.Sweep is null || await queries.SweepExistsAsync(settings.Sweep, cancellationToken))
                ? new ArgumentException($"No cell matches --where {settings.Where}; `mselab results --where ...` shows what matches.")
                : settings.Sweep is null
                ? new KeyNotFoundException($"The results store at {database.Location} has no trials. Run `mselab sweep run FILE` first.")
                : new KeyNotFoundException($"No sweep named '{settings.Sweep}' in the results store at {database.Location}. `mselab sweep status` lists them.");
        }

        var metric = MetricOf(settings.Metric, groups);
        var bars = groups.Where(g => g.Metrics.TryGetValue(metric, out var s) && double.IsFinite(s.Mean)).ToList();
        var labels = GroupLabels.Of(bars.Select(g => g.Fields).ToList());
        var title = $"{settings.Sweep ?? "all sweeps"}: test {metric} (mean ± sample std over finished cells)";
        file.Save(LeaderboardPlot.Draw(title, $"test {metric}",
            bars.Select((g, i) => new LeaderboardBar(labels[i], g.Metrics[metric].Mean, g.Metrics[metric].Std, g.N)).ToList()));
        Console.WriteLine($"wrote {file.Path} ({bars.Count} group(s), test {metric})");
        return 0;
    }

    private static string MetricOf(string? name, IReadOnlyList<LeaderboardGroup> groups)
    {
        var known = groups.SelectMany(g => g.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (known.Count == 0)
        {
            throw new ArgumentException("No finished cell has test metrics yet. Run or continue the sweep with `mselab sweep run FILE`.");
        }

        if (name is null)
        {
            return new[] { MetricKeys.Mae, MetricKeys.WeightedF1 }.FirstOrDefault(k => known.Contains(k, StringComparer.Ordinal)) ?? known[0];
        }

        var key = name.StartsWith("test.", StringComparison.OrdinalIgnoreCase) ? name["test.".Length..] : name;
        return known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"--metric {name}: no such test metric in these results. Valid: {string.Join(", ", known)}.");
    }
}
