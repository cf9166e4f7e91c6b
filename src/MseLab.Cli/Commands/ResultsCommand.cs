using System.ComponentModel;
using MseLab.Cli.Exports;
using MseLab.Store;
using MseLab.Store.Paper;
using MseLab.Store.Queries;
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

        [CommandOption("--where <EXPR>")]
        [Description("Only the cells matching EXPR, filtered in the database. Comparisons = != < <= > >=, and, or, not, parentheses, "
            + "FIELD [[not]] in (v1, v2), FIELD [[not]] like 'pat%' (case-insensitive; % any run, _ one character). Fields: sweep, backbone, family, "
            + "dataset, dataset_name, task, precision, seed, seed_group, lr, status, device, epoch, best_epoch, train_loss, error, started, "
            + "finished, queued (quoted UTC ISO dates), every hyperparameter (batch_size, warm_up_epochs, pseudo_tokens, weight_decay, ...), "
            + "test.METRIC and best_valid.METRIC (test.mae, test.has0_acc2, best_valid.corr). Text values are quoted ('...'), or bare words. "
            + "Examples: \"dataset_name = 'mosei' and family like 'qwen%'\", \"lr in (1e-4, 5e-5) and not status = failed\", "
            + "\"(test.has0_acc2 >= 0.8 or test.mae < 0.6) and started >= '2026-11-01'\". A bad expression is exit 2 with its position.")]
        public string? Where { get; init; }

        [CommandOption("--sort <FIELD>")]
        [Description("Order the groups by a group-by field, n, or test.METRIC (its mean); FIELD:desc reverses. Groups without the value go last.")]
        public string? Sort { get; init; }

        [CommandOption("--best <METRIC>")]
        [Description("Order the groups by the mean of this test metric, best first (mae: lowest first; accuracies, F1, corr, r2: highest first). With --sort, --sort breaks ties.")]
        public string? Best { get; init; }

        [CommandOption("--top <N>")]
        [Description("Only the first N groups (after --best / --sort).")]
        public int? Top { get; init; }

        [CommandOption("--group-by <FIELDS>")]
        [Description("Comma-separated: sweep, family (the paper checkpoint of the backbone's family), backbone, dataset, dataset_name (without its @pin), lr, seed, seed_group, or any resolved hyperparameter (batch_size, warm_up_epochs, ...). Default: seed groups (same configuration, different seeds); with --compare, family and dataset_name, plus these.")]
        public string? GroupBy { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("table (default), csv, json (a list of groups: group-by fields, n, planned, metrics.NAME.mean/std) or parquet (the csv's columns, typed; needs --out).")]
        [DefaultValue(LeaderboardFormat.Table)]
        public LeaderboardFormat Format { get; init; } = LeaderboardFormat.Table;

        [CommandOption("--compare <WITH>")]
        [Description("paper: per backbone family x dataset, our mean ± std beside the published 5-seed mean of the authors' logs and the difference, x100 as the logs print them (synthetic data left out).")]
        public string? Compare { get; init; }

        [CommandOption("--epochs")]
        [Description("One row per cell x stored epoch instead of the leaderboard (of the cells --sweep and --where choose): sweep, key, backbone, dataset, seed, lr, epoch, train_loss, learning_rate, valid_METRIC for every validation metric. Every --format; with --out.")]
        public bool Epochs { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("Write the csv, json or parquet output to FILE instead of the terminal (--format parquet needs it).")]
        public string? Out { get; init; }
    }

    /// <summary>The one thing <c>--compare</c> compares with today.</summary>
    public const string ComparePaper = "paper";

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Compare is not null && !string.Equals(settings.Compare, ComparePaper, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--compare {settings.Compare}: unknown; the one comparison is --compare {ComparePaper} (the authors' logged results).");
        }

        ResultsExport.Validate(settings.Format, settings.Out, settings.Epochs, settings.GroupBy, settings.Compare);
        // Parsed before the store opens: a bad filter never reaches the database.
        var where = settings.Where is null ? null : FilterParser.Parse(settings.Where);
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var queries = new ResultQueries(database);
        if (settings.Sweep is not null && !await queries.SweepExistsAsync(settings.Sweep, cancellationToken))
        {
            throw new KeyNotFoundException($"No sweep named '{settings.Sweep}' in the results store at {database.Location}. `mselab sweep status` lists them.");
        }

        if (settings.Epochs)
        {
            await ResultsExport.WriteEpochsAsync(queries, settings.Sweep, where, settings.Format, settings.Out, cancellationToken);
            return 0;
        }

        var groupBy = settings.GroupBy?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (settings.Compare is not null)
        {
            if (settings.Sort is not null || settings.Best is not null || settings.Top is not null)
            {
                throw new ArgumentException("--compare orders its rows by family and dataset; --sort, --best and --top apply to the leaderboard only.");
            }

            var trials = await queries.TrialsAsync(settings.Sweep, where: where, cancellationToken: cancellationToken);
            PaperComparisonView.Write(PaperComparison.Build(trials, groupBy), settings.Format, Console.Out, AnsiConsole.Console);
            return 0;
        }

        var leaderboard = await queries.LeaderboardAsync(settings.Sweep, where, groupBy, cancellationToken);
        var groups = LeaderboardOrder.Apply(leaderboard, settings.Sort, settings.Best, settings.Top);
        if (ResultsExport.Handles(settings.Format, settings.Out))
        {
            await ResultsExport.WriteLeaderboardAsync(groups, settings.Format, settings.Out, cancellationToken);
            return 0;
        }

        LeaderboardView.Write(groups, settings.Format);
        await WritePrunedAsync(queries, settings, cancellationToken);
        return 0;
    }

    // Pruned cells have no test metrics, so the leaderboard counts them as planned but not finished: say why.
    private static async Task WritePrunedAsync(ResultQueries queries, Settings settings, CancellationToken cancellationToken)
    {
        var sweeps = await queries.SweepsAsync(settings.Sweep, cancellationToken);
        var pruned = sweeps.Sum(s => s.Pruned);
        if (pruned > 0 && settings.Format == LeaderboardFormat.Table && settings.Out is null)   // csv and json on stdout stay machine-readable
        {
            var which = settings.Sweep ?? "SWEEP";
            AnsiConsole.MarkupLineInterpolated(
                $"[blue]{pruned} cell(s) Pruned by early stopping[/] (stopped at a rung with their seed group; not finished, so their groups count fewer seeds). `mselab sweep status {which}` lists them.");
        }
    }
}
