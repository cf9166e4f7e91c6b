using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Adapter;

/// <summary>Minimal safetensors reader and writer (F32 and I64) for exchanging tensors with the Python reference.</summary>
internal static class SafetensorsFile
{
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var header = new JsonObject();
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var code = tensor.dtype switch
            {
                ScalarType.Float32 => "F32",
                ScalarType.Int64 => "I64",
                _ => throw new ArgumentException($"Tensor '{name}' has dtype {tensor.dtype}; only float32 and int64 are written."),
            };
            var bytes = tensor.contiguous().cpu().bytes.ToArray();
            header[name] = new JsonObject
            {
                ["dtype"] = code,
                ["shape"] = new JsonArray([.. tensor.shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = File.Create(path);
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)json.Length);
        stream.Write(size);
        stream.Write(json);
        foreach (var bytes in blobs)
        {
            stream.Write(bytes);
        }
    }

    public static Dictionary<string, Tensor> Read(string path)
    {
        var blob = File.ReadAllBytes(path);
        var headerSize = (int)BinaryPrimitives.ReadUInt64LittleEndian(blob);
        using var header = JsonDocument.Parse(blob.AsMemory(8, headerSize));
        var data = 8 + headerSize;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
        {
            var dtype = entry.Value.GetProperty("dtype").GetString() == "F32"
                ? ScalarType.Float32
                : throw new InvalidDataException($"{path}: tensor '{entry.Name}' is not F32.");
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => (int)d.GetInt64()).ToArray();
            var tensor = empty(shape, dtype);
            tensor.bytes = blob.AsSpan(data + offsets[0], offsets[1] - offsets[0]);
            tensors[entry.Name] = tensor;
        }

        return tensors;
    }
}
