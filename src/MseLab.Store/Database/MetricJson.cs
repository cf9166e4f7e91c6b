using System.Text.Json;

namespace MseLab.Store.Database;

/// <summary>Metric dictionaries as JSON objects; NaN (an undefined metric, e.g. correlation of constants) as the string "NaN".</summary>
internal static class MetricJson
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string Write(IReadOnlyDictionary<string, double> metrics) => JsonSerializer.Serialize(metrics, Options);

    public static Dictionary<string, double> Read(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Dictionary<string, double>>(json, Options) ?? [];
}
