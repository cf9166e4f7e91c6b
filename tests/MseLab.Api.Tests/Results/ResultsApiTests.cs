using System.Text.Json;
using MseLab.Reporting.Curves;
using MseLab.Store.Paper;
using MseLab.Store.Queries;
using static MseLab.Api.Tests.Results.ApiJson;

namespace MseLab.Api.Tests.Results;

/// <summary>
/// The results endpoints against a filled SQLite store: each answer is the JSON of what the store's own queries give
/// (<c>ResultQueries</c>, <c>LeaderboardOrder</c>, <c>LearningCurves</c>, <c>PaperComparison</c>) for the same filter.
/// </summary>
public sealed class ResultsApiTests(ResultsStore store) : IClassFixture<ResultsStore>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, null)]
    [InlineData(ResultsStore.Alpha, null)]
    [InlineData(ResultsStore.Alpha, "family,lr")]
    [InlineData(null, "dataset_name")]
    public async Task Results_SweepAndGroupBy_EqualTheStoreLeaderboard(string? sweep, string? groupBy)
    {
        using var client = store.Factory.CreateClient();

        var body = await OkAsync(client, $"/api/results?sweep={sweep}&groupBy={groupBy}");

        var expected = await store.Queries.LeaderboardAsync(sweep, null, groupBy?.Split(','), Ct);
        Assert.NotEmpty(expected);
        Equal(expected, body);
    }

    [Fact]
    public async Task Results_Where_OnlyTheMatchingCellsAreAggregated()
    {
        using var client = store.Factory.CreateClient();
        const string where = "family = 'qwen2-0.5b' and lr < 0.0005";

        var body = await OkAsync(client, $"/api/results?where={Q(where)}&groupBy=sweep,family,lr");

        Equal(await store.Queries.LeaderboardAsync(null, FilterParser.Parse(where), ["sweep", "family", "lr"], Ct), body);
        using var json = JsonDocument.Parse(body);
        var group = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("0.0001", group.GetProperty("fields").GetProperty("lr").GetString());
        Assert.Equal(2, group.GetProperty("n").GetInt32());
        Assert.True(group.GetProperty("metrics").GetProperty("mae").GetProperty("std").GetDouble() > 0);
    }

    [Fact]
    public async Task Results_BestSortTop_OrderedAndCutAsTheCli()
    {
        using var client = store.Factory.CreateClient();

        var body = await OkAsync(client, "/api/results?groupBy=sweep,family,lr&best=mae&sort=lr:desc&top=2");

        var all = await store.Queries.LeaderboardAsync(null, null, ["sweep", "family", "lr"], Ct);
        var expected = LeaderboardOrder.Apply(all, "lr:desc", "mae", 2);
        Assert.Equal(2, expected.Count);
        Equal(expected, body);
        Assert.Equal(all.Min(g => g.Metrics["mae"].Mean), expected[0].Metrics["mae"].Mean);   // mae: lower first
    }

    [Fact]
    public async Task SweepResults_WhereAndGroupBy_SameAsTheResultsEndpoint()
    {
        using var client = store.Factory.CreateClient();
        const string where = "seed = 1 or status = failed";

        var body = await OkAsync(client, $"/api/sweeps/{ResultsStore.Alpha}/results?where={Q(where)}&groupBy=family");

        Equal(await store.Queries.LeaderboardAsync(ResultsStore.Alpha, FilterParser.Parse(where), ["family"], Ct), body);
        Assert.Equal(body, await OkAsync(client, $"/api/results?sweep={ResultsStore.Alpha}&where={Q(where)}&groupBy=family"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("test.mae < 0.6 and backbone like '%qwen%'")]
    public async Task Epochs_Where_EqualTheStoreEpochRows(string? where)
    {
        using var client = store.Factory.CreateClient();

        var body = await OkAsync(client, $"/api/results/epochs?sweep={ResultsStore.Alpha}&where={Q(where ?? "")}");

        var expected = await store.Queries.EpochRowsAsync(ResultsStore.Alpha, where is null ? null : FilterParser.Parse(where), Ct);
        Assert.NotEmpty(expected);
        Equal(expected, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(3, json.RootElement[0].GetProperty("epoch").GetInt32() + 2);   // first row: epoch 1 of its cell
    }

    [Fact]
    public async Task Curves_GroupByLr_MeanAndSampleStdOverSeedsPerEpoch()
    {
        using var client = store.Factory.CreateClient();
        const string where = "family = 'qwen2-0.5b'";

        var body = await OkAsync(client, $"/api/results/curves?sweep={ResultsStore.Alpha}&where={Q(where)}&groupBy=lr&metric=mae");

        var filter = FilterParser.Parse(where);
        var trials = await store.Queries.TrialsAsync(ResultsStore.Alpha, withTestMetrics: false, where: filter, cancellationToken: Ct);
        var epochs = await store.Queries.EpochRowsAsync(ResultsStore.Alpha, filter, Ct);
        Equal(LearningCurves.Build(trials, epochs, ["lr"], "mae"), body);

        // By hand for lr=0.001, epoch 2: the two seeds' validation mae.
        var values = epochs.Where(e => e.LearningRate == 1e-3 && e.Epoch == 2).Select(e => e.Validation["mae"]).ToList();
        Assert.Equal(2, values.Count);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("valid.mae", json.RootElement.GetProperty("metric").GetString());
        Assert.Equal("validation mae", json.RootElement.GetProperty("axisTitle").GetString());
        var group = json.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("fields").GetProperty("lr").GetString() == "0.001");
        Assert.Equal("lr=0.001", group.GetProperty("label").GetString());
        var point = group.GetProperty("points")[1];
        Assert.Equal(2, point.GetProperty("epoch").GetInt32());
        Assert.Equal(2, point.GetProperty("n").GetInt32());
        Assert.Equal(values.Average(), point.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(Math.Abs(values[0] - values[1]) / Math.Sqrt(2), point.GetProperty("std").GetDouble(), 12);
    }

    [Fact]
    public async Task Curves_UnknownMetric_400ListingTheValidOnes()
    {
        using var client = store.Factory.CreateClient();

        var (status, body) = await GetAsync(client, $"/api/results/curves?sweep={ResultsStore.Alpha}&metric=accuracy9");

        Assert.Equal(400, status);
        Assert.Contains("valid.has0_acc2", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_Where_EqualsThePaperComparisonOfTheMatchingCells()
    {
        using var client = store.Factory.CreateClient();
        const string where = "status = succeeded";

        var body = await OkAsync(client, $"/api/results/compare?where={Q(where)}");

        var trials = await store.Queries.TrialsAsync(null, where: FilterParser.Parse(where), cancellationToken: Ct);
        var expected = PaperComparison.Build(trials, null);
        Assert.NotEmpty(expected.Groups);
        Assert.NotEmpty(expected.Excluded);   // beta's synthetic data
        Equal(expected, body);
    }

    [Theory]
    [InlineData("/api/results?sweep=nope")]
    [InlineData("/api/results/epochs?sweep=nope")]
    [InlineData("/api/results/curves?sweep=nope")]
    [InlineData("/api/results/compare?sweep=nope")]
    [InlineData("/api/results/download?format=csv&sweep=nope")]
    [InlineData("/api/sweeps/nope/results")]
    public async Task UnknownSweep_404ProblemNamingIt(string path)
    {
        using var client = store.Factory.CreateClient();

        var (status, body) = await GetAsync(client, path);

        Assert.Equal(404, status);
        using var problem = JsonDocument.Parse(body);
        Assert.Contains("'nope'", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/results?groupBy=colour", "Cannot group by 'colour'")]
    [InlineData("/api/results?sort=colour", "--sort colour")]
    [InlineData("/api/results?best=colour", "--best colour: unknown metric")]
    [InlineData("/api/results?top=0", "--top 0")]
    [InlineData("/api/results/download?format=xlsx", "format=xlsx")]
    [InlineData("/api/results/download?format=1", "format=1")]
    [InlineData("/api/results/download?epochs=true&groupBy=lr", "epochs=true")]
    [InlineData("/api/sweeps/alpha/results?groupBy=colour", "Cannot group by 'colour'")]
    public async Task BadOption_400WithTheMessage(string path, string message)
    {
        using var client = store.Factory.CreateClient();

        var (status, body) = await GetAsync(client, path);

        Assert.Equal(400, status);
        using var problem = JsonDocument.Parse(body);
        Assert.Contains(message, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
