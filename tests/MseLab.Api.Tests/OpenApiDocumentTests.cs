using System.Text.Json;

namespace MseLab.Api.Tests;

/// <summary><c>GET /openapi/v1.json</c> describes every sweeps and results endpoint: operation names, summaries, parameters, response types.</summary>
public sealed class OpenApiDocumentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task OpenApi_V1_ListsEverySweepsEndpointWithNameAndSummary()
    {
        using var document = await DocumentAsync();

        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Route: $"{op.Name.ToUpperInvariant()} {path.Name}", Operation: op.Value)))
            .ToDictionary(o => o.Route, o => o.Operation);
        var expected = new Dictionary<string, string>
        {
            ["POST /api/sweeps"] = "SubmitSweep",
            ["GET /api/sweeps"] = "ListSweeps",
            ["GET /api/sweeps/{sweep}"] = "GetSweepProgress",
            ["GET /api/sweeps/{sweep}/results"] = "GetSweepResults",
            ["POST /api/sweeps/{sweep}/cancel"] = "CancelSweep",
        };
        foreach (var (route, name) in expected)
        {
            Assert.True(operations.TryGetValue(route, out var operation) || operations.TryGetValue(route + "/", out operation),
                $"{route} is not in the document; it has {string.Join(", ", operations.Keys)}");
            Assert.Equal(name, operation.GetProperty("operationId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{route} has no summary");
        }
    }

    [Fact]
    public async Task OpenApi_SweepResults_OkIsAListOfLeaderboardGroupsAndNotFoundIsDeclared()
    {
        using var document = await DocumentAsync();

        var results = document.RootElement.GetProperty("paths").GetProperty("/api/sweeps/{sweep}/results").GetProperty("get");
        var responses = results.GetProperty("responses");
        Assert.True(responses.TryGetProperty("404", out _), "the results endpoint does not declare 404 (unknown sweep)");
        var schema = responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("array", schema.GetProperty("type").GetString());
        var group = Resolve(document, schema.GetProperty("items"));
        var properties = group.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["fields", "n", "planned", "metrics"], properties);
        var parameters = results.GetProperty("parameters").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("in").GetString())).ToList();
        Assert.Equal([("sweep", "path"), ("where", "query"), ("groupBy", "query")], parameters);
    }

    [Theory]
    [InlineData("/api/results", "GetResults")]
    [InlineData("/api/results/epochs", "GetResultEpochs")]
    [InlineData("/api/results/curves", "GetResultCurves")]
    [InlineData("/api/results/compare", "GetPaperComparison")]
    [InlineData("/api/results/download", "DownloadResults")]
    public async Task OpenApi_ResultsEndpoint_NamedSummarisedWithADescribedFilterAnd400And404(string route, string name)
    {
        using var document = await DocumentAsync();

        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty(route, out var path) || paths.TryGetProperty(route + "/", out path), $"{route} is not in the document");
        var operation = path.GetProperty("get");
        Assert.Equal(name, operation.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{route} has no summary");
        var parameters = operation.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal("query", parameters["sweep"].GetProperty("in").GetString());
        Assert.Contains("test.mae < 0.6", parameters["where"].GetProperty("description").GetString(), StringComparison.Ordinal);
        var responses = operation.GetProperty("responses");
        foreach (var status in new[] { "200", "400", "404" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"{route} does not declare {status}");
        }
    }

    [Fact]
    public async Task OpenApi_Curves_OkSchemaHasMetricAxisTitleAndGroupsOfPoints()
    {
        using var document = await DocumentAsync();

        var ok = document.RootElement.GetProperty("paths").GetProperty("/api/results/curves").GetProperty("get").GetProperty("responses").GetProperty("200");
        var set = Resolve(document, ok.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(["metric", "axisTitle", "groups"], set.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        var group = Resolve(document, set.GetProperty("properties").GetProperty("groups").GetProperty("items"));
        Assert.Equal(["fields", "label", "points"], group.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        var point = Resolve(document, group.GetProperty("properties").GetProperty("points").GetProperty("items"));
        Assert.Equal(["epoch", "mean", "std", "n"], point.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task OpenApi_Download_DeclaresCsvJsonAndParquet()
    {
        using var document = await DocumentAsync();

        var ok = document.RootElement.GetProperty("paths").GetProperty("/api/results/download").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.True(ok.TryGetProperty("content", out var content), ok.ToString());
        Assert.Equal(["text/csv", "application/json", "application/vnd.apache.parquet"], content.EnumerateObject().Select(c => c.Name));
        var schema = Resolve(document, content.GetProperty("application/vnd.apache.parquet").GetProperty("schema"));
        Assert.True(schema.TryGetProperty("format", out var format) && format.GetString() == "binary", schema.ToString());
    }

    private async Task<JsonDocument> DocumentAsync()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET /openapi/v1.json: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    // A schema is inline or a "$ref": "#/components/schemas/NAME".
    private static JsonElement Resolve(JsonDocument document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
