using System.Text.Json;

namespace MseLab.Models.Checkpoints;

/// <summary>How a model folder stores its weights.</summary>
public enum CheckpointFormat
{
    /// <summary><c>model.safetensors</c>, or shards listed by <c>model.safetensors.index.json</c>.</summary>
    Safetensors,

    /// <summary>The original-release PyTorch zip state dicts: <c>pytorch_model.bin</c>, or shards listed by <c>pytorch_model.bin.index.json</c>.</summary>
    PyTorch,
}

/// <summary>
/// The weight files of a Hugging Face model folder, in load order. Safetensors win when a folder has both formats.
/// <see cref="WeightMap"/> is the index's tensor-to-file map (null for a single file).
/// </summary>
public sealed record CheckpointFiles(string Directory, CheckpointFormat Format, IReadOnlyList<string> Files, IReadOnlyDictionary<string, string>? WeightMap)
{
    public const string SafetensorsFile = "model.safetensors";
    public const string SafetensorsIndex = "model.safetensors.index.json";
    public const string PyTorchFile = "pytorch_model.bin";
    public const string PyTorchIndex = "pytorch_model.bin.index.json";

    /// <summary>Finds the weights of <paramref name="directory"/>; throws naming the folder and the files it looked for.</summary>
    public static CheckpointFiles Find(string directory)
    {
        if (File.Exists(Path.Combine(directory, SafetensorsFile)))
        {
            return new(directory, CheckpointFormat.Safetensors, [Path.Combine(directory, SafetensorsFile)], null);
        }

        if (File.Exists(Path.Combine(directory, SafetensorsIndex)))
        {
            return FromIndex(directory, CheckpointFormat.Safetensors, Path.Combine(directory, SafetensorsIndex));
        }

        if (File.Exists(Path.Combine(directory, PyTorchFile)))
        {
            return new(directory, CheckpointFormat.PyTorch, [Path.Combine(directory, PyTorchFile)], null);
        }

        if (File.Exists(Path.Combine(directory, PyTorchIndex)))
        {
            return FromIndex(directory, CheckpointFormat.PyTorch, Path.Combine(directory, PyTorchIndex));
        }

        throw new FileNotFoundException(
            $"{directory} has no weights: none of {SafetensorsFile}, {SafetensorsIndex}, {PyTorchFile}, {PyTorchIndex}. " +
            "Download the model's weight files (and the index of a sharded model) into it.");
    }

    private static CheckpointFiles FromIndex(string directory, CheckpointFormat format, string index)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            weightMap = document.RootElement.GetProperty("weight_map").EnumerateObject().ToDictionary(
                p => p.Name,
                p => p.Value.GetString() ?? throw new InvalidDataException($"{index}: weight_map entry '{p.Name}' is not a file name."),
                StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{index}: not a valid checkpoint index ({ex.Message}). Download it again.", ex);
        }

        var shards = weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(name => Path.Combine(directory, name)).ToList();
        var missing = shards.FirstOrDefault(s => !File.Exists(s));
        return missing is null
            ? new(directory, format, shards, weightMap)
            : throw new FileNotFoundException($"{index} lists {Path.GetFileName(missing)}, which is not in {directory}. Download every shard.", missing);
    }
}
