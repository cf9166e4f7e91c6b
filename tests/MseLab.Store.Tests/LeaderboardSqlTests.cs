using MseLab.Store.Queries;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>
/// The leaderboard aggregated in the database equals <see cref="Leaderboard.Build"/> over the same cells (the in-memory
/// reference), on random stores, on SQLite and on Postgres, for every grouping and filter below.
/// </summary>
public sealed class LeaderboardSqlTests
{
    private static readonly IReadOnlyList<string>?[] Groupings =
    [
        null, ["batch_size"], ["dataset_name"], ["family"], ["lr"], ["seed"], ["family", "dataset_name", "precision"], ["backbone", "max_epochs"],
        ["Adam_Eps", "sweep"],
    ];

    private static readonly string?[] Filters =
    [
        null, "dataset_name = 'mosei' and lr < 2e-4", "test.mae > 10000.0005 or batch_size = 16", "precision = bf16 or status in (failed, queued)",
        "sweep = 'nothing'", "not (family like '%qwen%') and batch_size in (8, 32) and task = 'mosei'", "max_epochs = 4 or adam_eps > 1",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Leaderboard_Sqlite_EqualsTheInMemoryLeaderboard(int seed)
    {
        await using var lab = await TempStore.CreateAsync();
        await RandomResults.SeedAsync(lab.Database, seed, Ct);

        await AssertEveryCaseAsync(lab);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Leaderboard_Postgres_EqualsTheInMemoryLeaderboard(int seed)
    {
        await using var lab = await TempStore.CreatePostgresAsync();
        await RandomResults.SeedAsync(lab.Database, seed, Ct);

        await AssertEveryCaseAsync(lab);
    }

    [Fact]
    public async Task Leaderboard_UnknownField_ThrowsTheSameMessageAsBuild()
    {
        await using var lab = await TempStore.CreateAsync();
        await RandomResults.SeedAsync(lab.Database, 1, Ct);
        var trials = await lab.Queries.TrialsAsync(null, cancellationToken: Ct);

        var expected = Assert.Throws<ArgumentException>(() => Leaderboard.Build(trials, ["warm_up_epochs"]));
        var actual = await Assert.ThrowsAsync<ArgumentException>(() => lab.Queries.LeaderboardAsync(null, groupBy: ["warm_up_epochs"], cancellationToken: Ct));

        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains("batch_size", actual.Message, StringComparison.Ordinal);
        Assert.Empty(await lab.Queries.LeaderboardAsync("nothing", groupBy: ["warm_up_epochs"], cancellationToken: Ct));   // no cell: nothing to check against
    }

    [Fact]
    public async Task Leaderboard_MeanOfLargeValues_StdKeepsItsDigits()
    {
        // Three seeds of 1e8 + {1, 2, 4}: squared deviations 42/9 over n - 1. A sum of squares minus the squared sum
        // loses them all in doubles (1e16 per square against a variance of 2.33).
        await using var lab = await TempStore.CreateAsync();
        var queued = await lab.SubmitAsync(Submissions.Cell("a", seed: 1), Submissions.Cell("b", seed: 2), Submissions.Cell("c", seed: 3));
        foreach (var (cell, mae) in queued.Zip([1e8 + 1, 1e8 + 2, 1e8 + 4]))
        {
            await lab.SucceedAsync(cell, mae);
        }

        var group = Assert.Single(await lab.Queries.LeaderboardAsync(Submissions.SweepId, cancellationToken: Ct));

        Assert.Equal(1e8 + (7.0 / 3), group.Metrics["mae"].Mean, 6);
        Assert.Equal(Math.Sqrt(7.0 / 3), group.Metrics["mae"].Std!.Value, 9);
    }

    private static async Task AssertEveryCaseAsync(TempStore lab)
    {
        var compared = 0;
        foreach (var sweep in (string?[])[null, "sweep-1"])
        {
            foreach (var filter in Filters)
            {
                var where = filter is null ? null : FilterParser.Parse(filter);
                var trials = await lab.Queries.TrialsAsync(sweep, where: where, cancellationToken: Ct);
                foreach (var groupBy in Groupings)
                {
                    var expected = Leaderboard.Build(trials, groupBy);
                    var because = $"sweep {sweep ?? "(all)"}, where {filter ?? "(none)"}, group by {(groupBy is null ? "(seed groups)" : string.Join(",", groupBy))}";
                    // Both ways: the seed-group moments the triggers keep where the query allows them, and the cells.
                    AssertSame(expected, await lab.Queries.LeaderboardAsync(sweep, where, groupBy, Ct), because);
                    await using (var db = lab.Database.CreateContext())
                    {
                        var dialect = FilterDialect.For(lab.Database.Provider);
                        var cells = await LeaderboardQuery.RunAsync(db, dialect, sweep, where, groupBy, Ct, seedGroupMoments: false);
                        AssertSame(expected, cells, because + " (from the cells)");
                    }

                    compared += expected.Count;
                }
            }
        }

        Assert.True(compared > 100, $"only {compared} groups compared: the random store is too small to test anything");
    }

    private static void AssertSame(IReadOnlyList<LeaderboardGroup> expected, IReadOnlyList<LeaderboardGroup> actual, string because)
    {
        Assert.True(expected.Count == actual.Count, $"{because}: {actual.Count} groups, expected {expected.Count}");
        foreach (var (e, a) in expected.Zip(actual))
        {
            var where = $"{because}, group {string.Join("/", e.Fields.Values)}";
            Assert.True(e.Fields.SequenceEqual(a.Fields), $"{because}: fields {string.Join("/", a.Fields)}, expected {string.Join("/", e.Fields)}");
            Assert.True((e.N, e.Planned) == (a.N, a.Planned), $"{where}: n {a.N} of {a.Planned}, expected {e.N} of {e.Planned}");
            Assert.True(e.Metrics.Keys.SequenceEqual(a.Metrics.Keys), $"{where}: metrics {string.Join(",", a.Metrics.Keys)}, expected {string.Join(",", e.Metrics.Keys)}");
            foreach (var (name, summary) in e.Metrics)
            {
                var got = a.Metrics[name];
                Assert.True(Close(summary.Mean, got.Mean, 1e-12), $"{where}, {name}: mean {got.Mean:R}, expected {summary.Mean:R}");
                Assert.True(summary.Std is null == got.Std is null, $"{where}, {name}: std {got.Std}, expected {summary.Std}");
                if (summary.Std is { } std)
                {
                    Assert.True(Close(std, got.Std!.Value, 1e-7), $"{where}, {name}: std {got.Std:R}, expected {std:R}");
                }
            }
        }
    }

    private static bool Close(double expected, double actual, double relative) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(expected - actual) <= relative * Math.Max(1e-300, Math.Abs(expected));
}
