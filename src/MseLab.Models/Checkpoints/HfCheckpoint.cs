using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Models.Checkpoints;

/// <summary>
/// The weights of a Hugging Face model directory: <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c>. Loads them into a module whose parameter names equal HF's, checking every name,
/// shape and dtype first and reporting missing or unexpected tensors by name.
/// </summary>
public static class HfCheckpoint
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>The safetensors files of <paramref name="directory"/>, in load order.</summary>
    public static IReadOnlyList<string> WeightFiles(string directory)
    {
        var single = Path.Combine(directory, SingleFile);
        if (File.Exists(single))
        {
            return [single];
        }

        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(index))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(index));
                var shards = document.RootElement.GetProperty("weight_map").EnumerateObject()
                    .Select(p => p.Value.GetString() ?? throw new InvalidDataException($"{index}: weight_map entry '{p.Name}' is not a file name."))
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                    .Select(name => Path.Combine(directory, name)).ToList();
                var missing = shards.FirstOrDefault(s => !File.Exists(s));
                return missing is null ? shards : throw new FileNotFoundException($"{index} lists {Path.GetFileName(missing)}, which is not in {directory}. Download every shard.", missing);
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{index}: not a valid safetensors index ({ex.Message}).", ex);
            }
        }

        var hint = File.Exists(Path.Combine(directory, "pytorch_model.bin"))
            ? " It has pytorch_model.bin: convert it to safetensors (transformers: model.save_pretrained(dir, safe_serialization=True))."
            : "";
        throw new FileNotFoundException($"{directory} has neither {SingleFile} nor {IndexFile}.{hint}");
    }

    /// <summary>
    /// Copies the checkpoint's tensors into <paramref name="module"/>'s parameters (converting F16/BF16/F32 to the module's
    /// dtype). <paramref name="ignorable"/> tells which extra tensors to skip (e.g. legacy rotary buffers).
    /// </summary>
    public static void LoadInto(nn.Module module, string directory, Func<string, bool>? ignorable = null)
    {
        var files = WeightFiles(directory);
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        var headers = files.Select(f => (File: f, Entries: SafetensorsHeader.Read(f))).ToList();

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var (file, entries) in headers)
        {
            foreach (var entry in entries.Values)
            {
                if (!parameters.TryGetValue(entry.Name, out var target))
                {
                    if (ignorable?.Invoke(entry.Name) != true)
                    {
                        unexpected.Add($"{entry.Name} (in {Path.GetFileName(file)})");
                    }

                    continue;
                }

                if (!entry.Shape.SequenceEqual(target.shape))
                {
                    throw new InvalidDataException(
                        $"{file}: tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}] but config.json implies " +
                        $"[{string.Join(", ", target.shape)}]. The checkpoint and its config.json do not belong together.");
                }

                found[entry.Name] = file;
            }
        }

        var missing = parameters.Keys.Where(n => !found.ContainsKey(n)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException(
                $"{directory}: the checkpoint does not match the model. " +
                (missing.Count > 0 ? $"Missing tensors: {Summarize(missing)}. " : "") +
                (unexpected.Count > 0 ? $"Unexpected tensors: {Summarize(unexpected)}. " : "") +
                "Check that config.json describes these weights (architecture, layers, tie_word_embeddings).");
        }

        using var noGrad = no_grad();
        foreach (var file in files)
        {
            var loaded = Safetensors.LoadStateDict(file);
            try
            {
                foreach (var (name, tensor) in loaded)
                {
                    if (parameters.TryGetValue(name, out var target))
                    {
                        target.copy_(tensor);
                    }
                }
            }
            finally
            {
                foreach (var tensor in loaded.Values)
                {
                    tensor.Dispose();
                }
            }
        }
    }

    /// <summary>Writes <paramref name="module"/>'s parameters as one <c>model.safetensors</c> in <paramref name="dtype"/>.</summary>
    public static void Save(nn.Module module, string directory, ScalarType dtype = ScalarType.Float32)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var state = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to(dtype).contiguous(), StringComparer.Ordinal);
        var temp = Path.Combine(directory, SingleFile + ".tmp");
        Safetensors.SaveStateDict(temp, state);
        File.Move(temp, Path.Combine(directory, SingleFile), overwrite: true);
    }

    private static string Summarize(List<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(8))} and {names.Count - 8} more";
}
