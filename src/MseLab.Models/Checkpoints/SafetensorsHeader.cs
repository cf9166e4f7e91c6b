using System.Buffers.Binary;
using System.Text.Json;

namespace MseLab.Models.Checkpoints;

/// <summary>One tensor entry of a safetensors header.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Reads and validates the header of a .safetensors file (8-byte little-endian length, JSON, then raw data) before any
/// tensor is loaded, so that a truncated or corrupt file stops with a message naming it instead of a native crash.
/// </summary>
public static class SafetensorsHeader
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private static readonly Dictionary<string, int> ElementSizes = new()
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Parses the header of <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming the file and the fault.</summary>
    public static IReadOnlyDictionary<string, SafetensorsEntry> Read(string path)
    {
        using var stream = File.OpenRead(path);
        var fileLength = stream.Length;
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
        {
            throw Corrupt(path, "the file is shorter than the 8-byte header length");
        }

        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > fileLength - 8)
        {
            throw Corrupt(path, $"the header length {headerLength} does not fit the file ({fileLength} bytes)");
        }

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        var dataLength = fileLength - 8 - headerLength;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Corrupt(path, $"the header is not valid JSON ({ex.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Corrupt(path, "the header is not a JSON object");
            }

            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                entries.Add(property.Name, ParseEntry(path, property, dataLength));
            }

            return entries;
        }
    }

    private static SafetensorsEntry ParseEntry(string path, JsonProperty property, long dataLength)
    {
        try
        {
            var value = property.Value;
            var dtype = value.GetProperty("dtype").GetString() ?? "";
            var shape = value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (!ElementSizes.TryGetValue(dtype, out var elementSize))
            {
                throw Corrupt(path, $"tensor '{property.Name}' has unsupported dtype '{dtype}'");
            }

            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            {
                throw Corrupt(path, $"tensor '{property.Name}' has data offsets [{string.Join(", ", offsets)}] outside the {dataLength}-byte data section (truncated file?)");
            }

            var expectedBytes = shape.Aggregate(1L, (a, b) => a * b) * elementSize;
            if (expectedBytes != offsets[1] - offsets[0])
            {
                throw Corrupt(path, $"tensor '{property.Name}' of shape [{string.Join(", ", shape)}] {dtype} needs {expectedBytes} bytes but its offsets span {offsets[1] - offsets[0]}");
            }

            return new SafetensorsEntry(property.Name, dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Corrupt(path, $"tensor '{property.Name}' has a malformed header entry ({ex.Message})");
        }
    }

    private static InvalidDataException Corrupt(string path, string fault) =>
        new($"{path}: corrupt safetensors file: {fault}. Re-download the checkpoint or re-create it (e.g. mselab backbone create-tiny).");
}
