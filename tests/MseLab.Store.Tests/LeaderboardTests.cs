
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;
using MseLab.Experiments.Trials;

namespace MseLab.Store.Tests;

public sealed class LeaderboardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Build_SeedGroup_MeanAndSampleStdOverTheFinishedSeeds()
    {
        TrialRow[] trials =
        [
            Row("s1", "g1", seed: 1, mae: 1),
            Row("s2", "g1", seed: 2, mae: 2),
            Row("s3", "g1", seed: 3, mae: 4),
            Row("s4", "g1", seed: 4, mae: 100, status: TrialStatus.Failed),
        ];

        var group = Assert.Single(Leaderboard.Build(trials, groupBy: null));

        Assert.Equal((3, 4), (group.N, group.Planned));
        var mae = group.Metrics["mae"];
        Assert.Equal(7.0 / 3, mae.Mean, 12);
        Assert.NotNull(mae.Std);
        Assert.Equal(Math.Sqrt(7.0 / 3), mae.Std.Value, 12);   // squared deviations 42/9 over n - 1 = 2, not n = 3
        Assert.Equal(["sweep", "family", "backbone", "dataset", "lr"], group.Fields.Keys);
        Assert.Equal([SweepId, "llama2-7b", "tiny", "synthetic:mosei", "0.001"], group.Fields.Values);
    }

    [Fact]
    public void Build_OneFinishedSeed_StdIsNull()
    {
        var group = Assert.Single(Leaderboard.Build([Row("s1", "g1", seed: 1, mae: 0.5), Row("s2", "g1", seed: 2, mae: 9, status: TrialStatus.Queued)], groupBy: null));

        Assert.Equal((1, 2), (group.N, group.Planned));
        Assert.Equal(new MetricSummary(0.5, null), group.Metrics["mae"]);
    }

    [Fact]
    public void Build_NaNMetric_IsLeftOutOfMeanAndStd()
    {
        var group = Assert.Single(Leaderboard.Build([Row("s1", "g1", 1, mae: 1, corr: double.NaN), Row("s2", "g1", 2, mae: 3, corr: 0.5)], groupBy: null));

        Assert.Equal(new MetricSummary(0.5, null), group.Metrics["corr"]);
        Assert.Equal(2.0, group.Metrics["mae"].Mean);
    }

    [Fact]
    public void Build_SeedGroupsByDefault_SeparatesGroupsThatShareTheLabels()
    {
        // Two seed groups (batch sizes 8 and 16) with the same sweep, backbone, dataset and lr are two rows.
        var groups = Leaderboard.Build([Row("a", "g8", 1, mae: 1, batchSize: 8), Row("b", "g16", 1, mae: 2, batchSize: 16)], groupBy: null);

        Assert.Equal([1.0, 2.0], groups.Select(g => g.Metrics["mae"].Mean).Order());
    }

    [Fact]
    public void Build_GroupByAResolvedField_GroupsAcrossSeedGroups()
    {
        TrialRow[] trials =
        [
            Row("a", "g1", 1, mae: 1, lr: 1e-3, batchSize: 8),
            Row("b", "g2", 1, mae: 3, lr: 1e-2, batchSize: 8),
            Row("c", "g3", 1, mae: 10, lr: 1e-3, batchSize: 16),
        ];

        var groups = Leaderboard.Build(trials, ["batch_size"]);

        Assert.Equal(["16", "8"], groups.Select(g => g.Fields["batch_size"]));
        Assert.Equal((2, 2.0), (groups[1].N, groups[1].Metrics["mae"].Mean));
        Assert.Equal(Math.Sqrt(2), groups[1].Metrics["mae"].Std);
        Assert.Equal((1, 10.0), (groups[0].N, groups[0].Metrics["mae"].Mean));
    }

    [Fact]
    public void Build_GroupBySeed_GroupsAcrossConfigurations()
    {
        var groups = Leaderboard.Build([Row("a", "g1", 1, mae: 1), Row("b", "g2", 1, mae: 3, lr: 1e-2), Row("c", "g1", 2, mae: 5)], ["seed"]);

        Assert.Equal([("1", 2), ("2", 1)], groups.Select(g => (g.Fields["seed"], g.N)));
    }

    [Fact]
    public void Build_UnknownField_ThrowsArgumentExceptionNamingTheValidFields()
    {
        var e = Assert.Throws<ArgumentException>(() => Leaderboard.Build([Row("a", "g1", 1, mae: 1)], ["nope"]));

        Assert.Contains("'nope'", e.Message, StringComparison.Ordinal);
        foreach (var field in new[] { "sweep", "family", "backbone", "dataset", "seed", "lr", "seed_group", "batch_size", "max_epochs", "learning_rate" })
        {
            Assert.Contains(field, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Build_FromTheStore_SummarisesFinishedSeedsOfTheSweep()
    {
        await using var lab = await TempStore.CreateAsync();
        var messages = await lab.SubmitAsync(Cell("s1", seed: 1), Cell("s2", seed: 2), Cell("s3", seed: 3));
        await lab.SucceedAsync(messages[0], mae: 0.5);
        await lab.SucceedAsync(messages[1], mae: 0.7);

        var group = Assert.Single(Leaderboard.Build(await lab.Queries.TrialsAsync(SweepId, cancellationToken: Ct), groupBy: null));

        Assert.Equal((2, 3), (group.N, group.Planned));
        Assert.Equal(0.6, group.Metrics["mae"].Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), group.Metrics["mae"].Std!.Value, 12);
    }

    private static TrialRow Row(string key, string seedGroup, int seed, double mae, TrialStatus status = TrialStatus.Succeeded, double lr = 1e-3, int batchSize = 8, double? corr = null)
    {
        var cell = Cell(key, seedGroup, seed, lr, batchSize);
        var test = new Dictionary<string, double> { ["mae"] = mae };
        if (corr is { } c)
        {
            test["corr"] = c;
        }

        return new TrialRow(SweepId, key, seedGroup, cell.Backbone, cell.Dataset, seed, lr, cell.MaxEpochs, cell.ResolvedConfig, status, 1, null, 4, 0.1, 0.4, null, null, null,
            status == TrialStatus.Succeeded ? test : new Dictionary<string, double>());
    }
}
