using System.ComponentModel;
using MseLab.Store;
using MseLab.Store.Paper;
using Spectre.Console;
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
        [Description("Comma-separated: sweep, family (the paper checkpoint of the backbone's family), backbone, dataset, dataset_name (without its @pin), lr, seed, seed_group, or any resolved hyperparameter (batch_size, warm_up_epochs, ...). Default: seed groups (same configuration, different seeds); with --compare, family and dataset_name, plus these.")]
        public string? GroupBy { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("table (default), csv or json (a list of groups: group-by fields, n, planned, metrics.NAME.mean/std).")]
        [DefaultValue(LeaderboardFormat.Table)]
        public LeaderboardFormat Format { get; init; } = LeaderboardFormat.Table;

        [CommandOption("--compare <WITH>")]
        [Description("paper: per backbone family x dataset, our mean ± std beside the published 5-seed mean of the authors' logs and the difference, x100 as the logs print them (synthetic data left out).")]
        public string? Compare { get; init; }
    }

    /// <summary>The one thing <c>--compare</c> compares with today.</summary>
    public const string ComparePaper = "paper";

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Compare is not null && !string.Equals(settings.Compare, ComparePaper, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--compare {settings.Compare}: unknown; the one comparison is --compare {ComparePaper} (the authors' logged results).");
        }

        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var trials = await new ResultQueries(database).TrialsAsync(settings.Sweep, cancellationToken: cancellationToken);
        if (settings.Sweep is not null && trials.Count == 0)
        {
            throw new KeyNotFoundException($"No sweep named '{settings.Sweep}' in the results store at {database.Location}. `mselab sweep status` lists them.");
        }

        var groupBy = settings.GroupBy?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (settings.Compare is not null)
        {
            PaperComparisonView.Write(PaperComparison.Build(trials, groupBy), settings.Format, Console.Out, AnsiConsole.Console);
            return 0;
        }

        LeaderboardView.Write(Leaderboard.Build(trials, groupBy), settings.Format);
        return 0;
    }
}
