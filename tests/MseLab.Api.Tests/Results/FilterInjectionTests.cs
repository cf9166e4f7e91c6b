using System.Text.Json;
using static MseLab.Api.Tests.Results.ApiJson;

namespace MseLab.Api.Tests.Results;

/// <summary>
/// <c>?where=</c> is parsed before the store is touched: injection attempts and malformed filters are a 400 naming the
/// position, on every endpoint that takes a filter, and the store's tables and row counts are unchanged afterwards.
/// </summary>
public sealed class FilterInjectionTests(ResultsStore store) : IClassFixture<ResultsStore>
{
    private static readonly string[] Endpoints =
    [
        "/api/results?",
        "/api/results/epochs?",
        "/api/results/curves?",
        "/api/results/compare?",
        "/api/results/download?format=parquet&",
        $"/api/sweeps/{ResultsStore.Alpha}/results?",
    ];

    /// <summary>The filter and the 1-based position the parser blames.</summary>
    public static TheoryData<string, int> Attacks => new()
    {
        { "lr = 1; DROP TABLE trials", 7 },
        { "' or 1=1 --", 1 },
        { "sweep = 'alpha' or 1=1", 20 },
        { "seed = 1 -- and status = failed", 10 },
        { "backbone = \"x\"; DELETE FROM epochs", 15 },
        { "seed = 1) or (1 = 1", 9 },
        { "lr = 1e-3 union select * from trials", 24 },
        { "family = 'qwen' /* comment */", 17 },
        { "séed = 1", 2 },
        { "family = ‘qwen’", 10 },
        { "dataset = 'mosei\u0000' or 1", 23 },
        { "status = succeeded; UPDATE trials SET status = 'queued'", 19 },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Where_InjectionAttempt_400WithPositionOnEveryEndpointAndTheStoreUnchanged(string where, int position)
    {
        var before = await store.RowCountsAsync();
        using var client = store.Factory.CreateClient();

        foreach (var endpoint in Endpoints)
        {
            var (status, body) = await GetAsync(client, $"{endpoint}where={Q(where)}");

            Assert.True(status == 400, $"{endpoint}where={where}: {status} {body}");
            using var problem = JsonDocument.Parse(body);
            Assert.Equal(position, problem.RootElement.GetProperty("position").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("problem").GetString()));
            Assert.StartsWith($"?where= at position {position}: ", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await store.RowCountsAsync());
        Assert.Contains("trials", before.Keys);
        Assert.Equal(8, before["trials"]);
    }

    [Theory]
    [InlineData("sweep = 'x''); DROP TABLE trials; --'")]
    [InlineData("backbone = '\" or 1=1 --'")]
    [InlineData("family like '%''; DELETE FROM trials; --%'")]
    [InlineData("dataset = 'mosei' and backbone != '🙂 ünïcödé'")]
    public async Task Where_HostileTextInsideAQuotedValue_IsOnlyAValue(string where)
    {
        var before = await store.RowCountsAsync();
        using var client = store.Factory.CreateClient();

        var body = await OkAsync(client, $"/api/results?groupBy=sweep&where={Q(where)}");

        // The value is compared as text: the unicode case matches alpha's mosei cells, the others match nothing.
        using var json = JsonDocument.Parse(body);
        var expected = where.Contains("mosei", StringComparison.Ordinal) ? 6 : 0;
        Assert.Equal(expected, json.RootElement.EnumerateArray().Sum(g => g.GetProperty("planned").GetInt32()));
        Assert.Equal(before, await store.RowCountsAsync());
    }
}
