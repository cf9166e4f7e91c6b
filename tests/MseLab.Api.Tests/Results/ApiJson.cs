using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MseLab.Api.Tests.Results;

/// <summary>Requests against the in-process API and the JSON comparisons of its answers with the store's own results.</summary>
internal static class ApiJson
{
    /// <summary>The API's JSON settings: web defaults (camelCase), enums as names, NaN as "NaN".</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>GET <paramref name="path"/>: the status and the body as text.</summary>
    public static async Task<(int Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>GET that must answer 200; returns the body.</summary>
    public static async Task<string> OkAsync(HttpClient client, string path)
    {
        var (status, body) = await GetAsync(client, path);
        Assert.True(status == 200, $"GET {path}: {status} {body}");
        return body;
    }

    /// <summary>Asserts the body is the JSON of <paramref name="expected"/> as the API writes it (same values, same names).</summary>
    public static void Equal<T>(T expected, string body)
    {
        var want = JsonNode.Parse(JsonSerializer.Serialize(expected, Options));
        var got = JsonNode.Parse(body);
        Assert.True(JsonNode.DeepEquals(want, got), $"expected\n{want}\nbut the API answered\n{got}");
    }

    /// <summary>A query-string value, escaped.</summary>
    public static string Q(string value) => Uri.EscapeDataString(value);
}
