using System.Text.Json;

namespace MseLab.Api.Tests;

/// <summary><c>GET /openapi/v1.json</c> describes every sweeps endpoint: operation names, summaries, response types.</summary>
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
