using System.Text.Json;
using System.Text.Json.Serialization;

namespace MseLab.Experiments.Trials;

/// <summary>Writes a <see cref="TrialPrecision"/> as its sweep-file name (<c>"fp32"</c>, <c>"paper"</c>).</summary>
public sealed class TrialPrecisionJsonConverter : JsonConverter<TrialPrecision>
{
    public override TrialPrecision Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TrialPrecisionNames.TryParse(reader.GetString(), out var precision)
            ? precision
            : throw new JsonException($"Unknown precision '{reader.GetString()}'; use {string.Join(" or ", TrialPrecisionNames.All)}.");

    public override void Write(Utf8JsonWriter writer, TrialPrecision value, JsonSerializerOptions options) =>
        writer.WriteStringValue(TrialPrecisionNames.ToName(value));
}
