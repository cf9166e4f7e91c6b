using System.Text.Json;

namespace MseLab.Cli.Commands;

/// <summary>Writes a metrics dictionary as one indented JSON object, keys in order.</summary>
internal static class MetricsJson
{
    public static void Write(Stream stream, IReadOnlyDictionary<string, double> metrics)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        foreach (var (key, value) in metrics)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumber(key, value);
            }
            else
            {
                // JSON has no NaN or infinity: use System.Text.Json's named literals (AllowNamedFloatingPointLiterals).
                writer.WriteString(key, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }
}
