using System.ComponentModel;
using MseLab.Store;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

/// <summary><c>mselab results</c>: the leaderboard, mean ± std over each group's finished cells, as a table, CSV or JSON.</summary>
internal sealed class ResultsCommand : AsyncCommand<ResultsCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandOption("--sweep <SWEEP>")]
        [Description("Only this sweep (default: every sweep in the store).")]
        public string? Sweep { get; init; }

        [CommandOption("--group-by <FIELDS>")]
        [Description("Comma-separated: sweep, family (the paper checkpoint of the backbone's family), backbone, dataset, lr, seed, seed_group, or any resolved hyperparameter (batch_size, warm_up_epochs, ...). Default: seed groups (same configuration, different seeds).")]
        public string? GroupBy { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("table (default), csv or json (a list of groups: group-by fields, n, planned, metrics.NAME.mean/std).")]
        [DefaultValue(LeaderboardFormat.Table)]
        public LeaderboardFormat Format { get; init; } = LeaderboardFormat.Table;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var trials = await new ResultQueries(database).TrialsAsync(settings.Sweep, cancellationToken: cancellationToken);
        if (settings.Sweep is not null && trials.Count == 0)
        {
            throw new KeyNotFoundException($"No sweep named '{settings.Sweep}' in the results store at {database.Location}. `mselab sweep status` lists them.");
        }

        var groupBy = settings.GroupBy?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        LeaderboardView.Write(Leaderboard.Build(trials, groupBy), settings.Format);
        return 0;
    }
}
