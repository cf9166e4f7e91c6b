namespace MseLab.Api.Tests.ResultsPage;

/// <summary>
/// <c>/results</c> in headless Chromium against an API that closes reads: without a token the page shows the API's refusal;
/// with a read token typed in its token field it loads the sweeps and the table, and keeps the token for the tab (a reload
/// still loads). Screenshots: artifacts/test-results/results-page/results-closed-{refused,token}.png.
/// </summary>
public sealed class ResultsPageTokenTests(ClosedReadsPageServer server) : IClassFixture<ClosedReadsPageServer>
{
    [Fact]
    public void Page_ReadsClosed_RefusedUntilATokenIsGivenThenLoads()
    {
        var page = BrowserRun.RunScript("results-page-token.mjs", server.Address, Path.Combine(BrowserRun.ArtifactsDirectory(), "results-closed"), server.Token);

        Assert.Empty(page.GetProperty("console").EnumerateArray());
        var refused = page.GetProperty("refused");
        Assert.Contains("Authorization: Bearer mselab_", refused.GetProperty("problem").GetString(), StringComparison.Ordinal);   // the 401's detail
        Assert.Equal(0, refused.GetProperty("rows").GetInt32());
        Assert.Empty(refused.GetProperty("sweeps").EnumerateArray());
        foreach (var loaded in new[] { page.GetProperty("withToken"), page.GetProperty("reloaded") })
        {
            Assert.Equal("loaded", loaded.GetProperty("state").GetString());
            Assert.Contains(ResultsSeed.LrSweep, loaded.GetProperty("sweeps").EnumerateArray().Select(s => s.GetString()));
            Assert.True(loaded.GetProperty("rows").GetInt32() > 0, "no leaderboard rows with the token");
            Assert.Equal(server.Token, loaded.GetProperty("stored").GetString());
        }
    }
}
