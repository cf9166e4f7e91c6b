using System.Text.Json;
using System.Text.Json.Serialization;
using MseLab.Experiments.EarlyStopping;

namespace MseLab.Store.Database;

/// <summary>A sweep's early-stopping rule as stored in <c>sweeps.EarlyStopping</c> (the method by name).</summary>
internal static class EarlyStoppingJson
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    public static string? Write(EarlyStoppingRule? rule) => rule is null ? null : JsonSerializer.Serialize(rule, Options);

    public static EarlyStoppingRule? Read(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<EarlyStoppingRule>(json, Options);
}
