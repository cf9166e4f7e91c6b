using System.ComponentModel;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using MseLab.Store;
using MseLab.Store.Queries;
using MseLab.Store.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench results</c>: fills a fresh store (SQLite file, new Postgres database, or both) with N realistic trials,
/// analyses it, and times the result queries (leaderboards aggregated in the database, a filtered trial list): p50, p95
/// and max of each over repeated runs after a warm-up, against the 200 ms target and MLflow's 15 minutes for 30k runs.
/// </summary>
internal sealed class BenchResultsCommand : AsyncCommand<BenchResultsCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandOption("--trials <N>")]
        [Description("Trials to store (default 100000): sweeps of 1000 cells, 4 backbones x 5 datasets x 5 learning rates x 2 batch sizes x 5 seeds, each with its test metrics and 10 epochs.")]
        [DefaultValue(100000)]
        public int Trials { get; init; } = 100000;

        [CommandOption("--provider <PROVIDER>")]
        [Description("sqlite (a temporary file), postgres (a new database on the server of --cluster's store, or of MSELAB_Store__ConnectionString with MSELAB_Store__Provider=postgres; dropped at the end) or both (default).")]
        [DefaultValue("both")]
        public string Provider { get; init; } = "both";

        [CommandOption("--repeats <N>")]
        [Description("Timed runs of each query after the warm-up (default 20).")]
        [DefaultValue(20)]
        public int Repeats { get; init; } = 20;

        [CommandOption("--warmup <N>")]
        [Description("Untimed runs of each query first (default 5): the first run is printed apart; the runtime compiles a query's code fully optimised after a few runs, as in a long-running API.")]
        [DefaultValue(5)]
        public int Warmup { get; init; } = 5;

        [CommandOption("--keep <FOLDER>")]
        [Description("Write the SQLite store to FOLDER/results.db and keep it (to look at the query plans); the Postgres database is dropped either way.")]
        public string? Keep { get; init; }

        [CommandOption("--json")]
        [Description("Print the figures as JSON (one object per provider) instead of tables.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Trials < 1 ? ValidationResult.Error("--trials must be 1 or more.")
            : Repeats < 1 ? ValidationResult.Error("--repeats must be 1 or more.")
            : Warmup < 1 ? ValidationResult.Error("--warmup must be 1 or more (the first run is reported apart).")
            : Provider is not ("sqlite" or "postgres" or "both") ? ValidationResult.Error($"--provider {Provider}: give sqlite, postgres or both.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string? postgres = null;
        if (settings.Provider != "sqlite")
        {
            var options = LocalStore.OptionsOf(settings.Cluster);
            if (options.Provider != StoreProvider.Postgres)
            {
                await Console.Error.WriteLineAsync(
                    $"bench results --provider {settings.Provider} needs a Postgres server: give --cluster PROFILE (its Store section), or set "
                    + "MSELAB_Store__Provider=postgres and MSELAB_Store__ConnectionString; or run with --provider sqlite.");
                return 2;
            }

            postgres = options.ConnectionString!;
        }

        var figures = new List<ResultsBenchFigures>();
        if (settings.Provider != "postgres")
        {
            await using var store = await ResultsBenchStore.CreateSqliteAsync(settings.Keep, cancellationToken);
            figures.Add(await RunAsync(store, settings, cancellationToken));
        }

        if (postgres is not null)
        {
            await using var store = await ResultsBenchStore.CreatePostgresAsync(postgres, cancellationToken);
            figures.Add(await RunAsync(store, settings, cancellationToken));
        }

        ResultsBenchFigures.Write(figures, settings.Json);
        return 0;
    }

    private static async Task<ResultsBenchFigures> RunAsync(ResultsBenchStore store, Settings settings, CancellationToken cancellationToken)
    {
        var name = store.Provider.ToString().ToLowerInvariant();
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var rows = await ResultsBenchData.FillAsync(store.Database, settings.Trials, written =>
        {
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(2) || written == settings.Trials)
            {
                lastReport = clock.Elapsed;
                Console.Error.WriteLine($"{name}: stored {written} of {settings.Trials} trials ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }, cancellationToken);
        await AnalyzeAsync(store, cancellationToken);
        var fill = clock.Elapsed.TotalSeconds;

        var queries = new ResultQueries(store.Database);
        var sweeps = (settings.Trials + ResultsBenchData.CellsPerSweep - 1) / ResultsBenchData.CellsPerSweep;
        var oneSweep = ResultsBenchData.SweepName(sweeps / 2);
        var mosei = FilterParser.Parse("dataset_name = 'mosei' and lr < 1e-4");
        var selective = FilterParser.Parse($"sweep = '{oneSweep}' and lr = 1e-4 and test.mae < 0.75");
        (string Name, Func<Task<int>> Run)[] cases =
        [
            ("leaderboard, all sweeps (seed groups)", async () => Read(await queries.LeaderboardAsync(null, cancellationToken: cancellationToken))),
            ($"leaderboard --sweep {oneSweep}", async () => Read(await queries.LeaderboardAsync(oneSweep, cancellationToken: cancellationToken))),
            ("leaderboard --where \"dataset_name = 'mosei' and lr < 1e-4\"", async () => Read(await queries.LeaderboardAsync(null, mosei, cancellationToken: cancellationToken))),
            ("leaderboard --group-by batch_size", async () => Read(await queries.LeaderboardAsync(null, groupBy: ["batch_size"], cancellationToken: cancellationToken))),
            ($"trials --where \"sweep = '{oneSweep}' and lr = 1e-4 and test.mae < 0.75\"",
                async () => (await queries.TrialsAsync(null, where: selective, cancellationToken: cancellationToken)).Count),
        ];
        var measured = new List<QueryFigures>();
        foreach (var (query, run) in cases)
        {
            // Warm-up: the first run (timed apart: JIT, plans, pages), then more until the code is fully optimised.
            var first = Stopwatch.GetTimestamp();
            var count = await run();
            var firstMs = Stopwatch.GetElapsedTime(first).TotalMilliseconds;
            for (var i = 1; i < settings.Warmup; i++)
            {
                await run();
            }

            var times = new List<double>(settings.Repeats);
            for (var i = 0; i < settings.Repeats; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await run();
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            measured.Add(QueryFigures.Of(query, count, firstMs, times));
            if (!settings.Json)
            {
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(name)}: {Markup.Escape(query)}: p95 {measured[^1].P95Ms:F1} ms[/]");
            }
        }

        return new ResultsBenchFigures(name, settings.Trials, rows.TestMetrics, rows.Epochs, fill, measured);
    }

    // Every label and metric of every group read, as a writer of the table, CSV or JSON reads them: a query's time
    // includes making its groups, however they are kept.
    private static int Read(IReadOnlyList<LeaderboardGroup> groups)
    {
        var values = 0;
        foreach (var group in groups)
        {
            values += group.Fields.Count + group.Metrics.Count(m => double.IsFinite(m.Value.Mean));
        }

        return values >= 0 ? groups.Count : -1;
    }

    // Fresh statistics, as a store that lived would have them (SQLite plans by sqlite_stat1; Postgres also sets its
    // visibility map, so index-only scans need not visit the rows).
    private static async Task AnalyzeAsync(ResultsBenchStore store, CancellationToken cancellationToken)
    {
        await using var db = store.Database.CreateContext();
        await db.Database.ExecuteSqlRawAsync(store.Provider == StoreProvider.Postgres ? "VACUUM ANALYZE" : "ANALYZE", cancellationToken);
    }
}
