using System.ComponentModel;
using MseLab.Reporting.Curves;
using MseLab.Store;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Plots;

/// <summary><c>mselab plot curves</c>: per-epoch learning curves of a sweep, one line per group with a mean ± std band over its seeds.</summary>
internal sealed class PlotCurvesCommand : AsyncCommand<PlotCurvesCommand.Settings>
{
    public sealed class Settings : PlotSettings
    {
        [CommandOption("--sweep <SWEEP>")]
        [Description("The sweep whose stored epochs to plot (required; `mselab sweep status` lists them).")]
        public string? Sweep { get; init; }

        [CommandOption("--metric <METRIC>")]
        [Description("train_loss, lr, or a validation metric (mae or valid.mae, weighted_f1, ...). Default: the task's selection metric on validation (mae for regression, weighted_f1 for MELD/CHERMA), else train_loss.")]
        public string? Metric { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var file = PlotFile.Parse(settings.Out);
        if (string.IsNullOrWhiteSpace(settings.Sweep))
        {
            throw new ArgumentException("--sweep SWEEP is required: the sweep whose learning curves to plot (`mselab sweep status` lists them).");
        }

        var where = settings.Filter();
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var queries = new ResultQueries(database);
        var trials = await queries.TrialsAsync(settings.Sweep, withTestMetrics: false, where: where, cancellationToken: cancellationToken);
        if (trials.Count == 0 && where is not null && await queries.SweepExistsAsync(settings.Sweep, cancellationToken))
        {
            throw new ArgumentException($"No cell of sweep '{settings.Sweep}' matches --where {settings.Where}; `mselab results --sweep {settings.Sweep} --where ...` shows what matches.");
        }

        if (trials.Count == 0)
        {
            throw new KeyNotFoundException($"No sweep named '{settings.Sweep}' in the results store at {database.Location}. `mselab sweep status` lists them.");
        }

        var groupBy = settings.GroupBy?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var epochs = await queries.EpochRowsAsync(settings.Sweep, where, cancellationToken);
        if (epochs.Count == 0)
        {
            throw new ArgumentException($"Sweep '{settings.Sweep}' has no stored epochs yet: its cells have not finished an epoch. Run or continue it with `mselab sweep run FILE`.");
        }

        var curves = LearningCurves.Build(trials, epochs, groupBy, settings.Metric);
        file.Save(CurvesPlot.Draw($"{settings.Sweep}: {curves.AxisTitle} per epoch (mean ± std over seeds)", curves.AxisTitle,
            curves.Groups.Select(g => (g.Label, g.Points)).ToList()));
        Console.WriteLine($"wrote {file.Path} ({curves.Groups.Count} group(s), {curves.Metric})");
        return 0;
    }
}
