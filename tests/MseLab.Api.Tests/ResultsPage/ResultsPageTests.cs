using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace MseLab.Api.Tests.ResultsPage;

/// <summary>
/// <c>/results</c> in headless Chromium against the real API over a seeded SQLite store: the page lists the sweeps, its
/// table and curves agree with the endpoints, the filter box changes the table, a bad filter shows its position, the
/// download links carry the filter, and store text is shown as text. Screenshots: artifacts/test-results/results-page.
/// </summary>
public sealed class ResultsPageTests(ResultsPageServer server) : IClassFixture<ResultsPageServer>
{
    private const string GoodFilter = "lr < 0.0005 and test.mae < 0.9";
    private const string BadFilter = "seed = = 2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Results_RedirectsToThePageAndServesItsFiles()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.Address + "/") };

        using var redirect = await client.GetAsync(new Uri("results", UriKind.Relative), Ct);
        Assert.True(redirect.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently, $"/results answered {(int)redirect.StatusCode}");
        Assert.Equal(MseLab.Api.Apis.ResultsPage.Path, redirect.Headers.Location is { IsAbsoluteUri: true } location ? location.AbsolutePath : redirect.Headers.Location?.OriginalString);
        foreach (var (path, type) in new[] { ("results/", "text/html"), ("results/results.js", "text/javascript"), ("results/results.css", "text/css") })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Page_InChromium_ShowsSweepsTableCurvesAndFilterErrors()
    {
        var prefix = Path.Combine(BrowserRun.ArtifactsDirectory(), "results");
        var page = BrowserRun.Run(server.Address, prefix, GoodFilter, BadFilter, ResultsSeed.LrSweep);
        using var client = server.CreateClient();

        Assert.Equal(200, page.GetProperty("status").GetInt32());
        Assert.EndsWith("/results/", page.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Empty(page.GetProperty("console").EnumerateArray());
        Assert.Equal(["All sweeps", .. (await GetAsync(client, "api/sweeps")).EnumerateArray().Select(s => s.GetProperty("id").GetString())], Strings(page.GetProperty("sweeps")));
        Assert.Contains(ResultsSeed.MarkupSweep, Strings(page.GetProperty("sweeps")));   // shown as text...
        Assert.Equal(0, page.GetProperty("sweepMarkup").GetInt32());                    // ...never as an element

        // Everything: one row per group as the endpoint answers, one line and band per curve group, the paper beside ours.
        var loaded = page.GetProperty("loaded");
        var all = await GetAsync(client, "api/results");
        AssertRows(all, loaded);
        Assert.Contains("± ", string.Join("|", loaded.GetProperty("rows").EnumerateArray().SelectMany(Strings)), StringComparison.Ordinal);
        AssertCurves(await GetAsync(client, "api/results/curves"), loaded);
        Assert.True(loaded.GetProperty("paperShown").GetBoolean(), "the paper's numbers are not shown");
        var paperRows = loaded.GetProperty("paperRows").EnumerateArray().Select(r => string.Join("|", Strings(r))).ToList();
        Assert.Contains(paperRows, r => r.StartsWith("chatglm3-6b-base|mosei|has0_acc2|", StringComparison.Ordinal) && r.EndsWith("|0.8691|+0.0009|chatglm3-mosei-2025-02", StringComparison.Ordinal));

        // The filter changes the table (the lr 1e-4 group of lr-sweep and paper-mosei's) and the downloads carry it.
        var filtered = page.GetProperty("filtered");
        var expected = await GetAsync(client, $"api/results?where={Uri.EscapeDataString(GoodFilter)}");
        Assert.Equal(2, expected.GetArrayLength());
        AssertRows(expected, filtered);
        AssertCurves(await GetAsync(client, $"api/results/curves?where={Uri.EscapeDataString(GoodFilter)}"), filtered);
        Assert.Contains("where=", filtered.GetProperty("address").GetString(), StringComparison.Ordinal);
        foreach (var (link, format) in new[] { ("download-csv", "csv"), ("download-parquet", "parquet") })
        {
            var href = filtered.GetProperty("downloads").GetProperty(link).GetString()!;
            var query = QueryHelpers.ParseQuery(new Uri(new Uri(server.Address), href).Query);
            Assert.StartsWith("/api/results/download?", href, StringComparison.Ordinal);
            Assert.Equal((GoodFilter, format), (query["where"].ToString(), query["format"].ToString()));
        }

        // The metric selector redraws the curves with the endpoint's axis title.
        var metric = page.GetProperty("metric");
        var trainLoss = await GetAsync(client, $"api/results/curves?where={Uri.EscapeDataString(GoodFilter)}&metric=train_loss");
        Assert.Equal("train_loss", metric.GetProperty("metric").GetString());
        Assert.Contains(trainLoss.GetProperty("axisTitle").GetString(), Strings(metric.GetProperty("axisTitles")));

        // A click on a sweep scopes the page (the filter box was emptied first).
        var scoped = page.GetProperty("scoped");
        Assert.Equal($"sweep {ResultsSeed.LrSweep}", scoped.GetProperty("scope").GetString());
        var lrSweep = await GetAsync(client, $"api/results?sweep={ResultsSeed.LrSweep}");
        Assert.Equal(2, lrSweep.GetArrayLength());
        AssertRows(lrSweep, scoped);
        Assert.All(scoped.GetProperty("rows").EnumerateArray(), r => Assert.Contains(ResultsSeed.LrSweep, Strings(r)));

        // A bad filter: the endpoint's problem under the box with a caret under its position.
        var error = page.GetProperty("error");
        using var bad = await client.GetAsync(new Uri($"api/results?where={Uri.EscapeDataString(BadFilter)}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(Ct)).RootElement;
        var position = problem.GetProperty("position").GetInt32();
        Assert.True(error.GetProperty("errorShown").GetBoolean(), "no error under the filter box");
        Assert.Equal($"{BadFilter}\n{new string(' ', position - 1)}^", error.GetProperty("caret").GetString());
        Assert.Equal($"Position {position}: {problem.GetProperty("problem").GetString()}", error.GetProperty("problem").GetString());

        foreach (var shot in new[] { "all", "filtered", "sweep", "error" })
        {
            Assert.True(new FileInfo($"{prefix}-{shot}.png").Length > 10_000, $"no screenshot {prefix}-{shot}.png");
        }
    }

    private static void AssertRows(JsonElement groups, JsonElement view)
    {
        var rows = view.GetProperty("rows");
        Assert.Equal(groups.GetArrayLength(), rows.GetArrayLength());
        // Each row starts with its group's fields in the endpoint's order, then n / planned.
        foreach (var (group, row) in groups.EnumerateArray().Zip(rows.EnumerateArray()))
        {
            var fields = group.GetProperty("fields").EnumerateObject().Select(f => f.Value.GetString()).ToList();
            var cells = Strings(row);
            Assert.Equal([.. fields, $"{group.GetProperty("n").GetInt32()} / {group.GetProperty("planned").GetInt32()}"], cells.Take(fields.Count + 1));
        }
    }

    private static void AssertCurves(JsonElement curves, JsonElement view)
    {
        var groups = curves.GetProperty("groups").EnumerateArray().Where(g => g.GetProperty("points").GetArrayLength() > 0).ToList();
        Assert.NotEmpty(groups);
        Assert.Equal(groups.Count, view.GetProperty("linePaths").GetInt32());
        Assert.Equal(groups.Count, view.GetProperty("bandPaths").GetInt32());
        Assert.Equal(groups.Select(g => g.GetProperty("label").GetString()), Strings(view.GetProperty("legend")));
        Assert.True(view.GetProperty("legendBelowPlot").GetBoolean(), "the legend overlaps the plot");
        Assert.Contains(curves.GetProperty("axisTitle").GetString(), Strings(view.GetProperty("axisTitles")));
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];
}
