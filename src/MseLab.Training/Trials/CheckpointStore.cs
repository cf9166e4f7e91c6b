using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Training.Trials;

/// <summary>
/// A trial's checkpoint folder: <c>latest/</c> (state.json, adapter.safetensors, optimizer.safetensors), replaced
/// atomically after every epoch, and <c>best/adapter.safetensors</c> (adapter tensors only, as the official code saves).
/// </summary>
public sealed class CheckpointStore(string directory)
{
    // Undefined metrics (NaN, e.g. a correlation of constant predictions) are written as "NaN".
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string Directory { get; } = directory;

    public string LatestDirectory => Path.Combine(Directory, "latest");

    public string BestAdapterPath => Path.Combine(Directory, "best", "adapter.safetensors");

    /// <summary>Writes the latest resumable state; a crash mid-write leaves the previous one usable.</summary>
    public void SaveLatest(TrialState state, IEnumerable<(string Name, Tensor Value)> adapter, IEnumerable<(string Name, Tensor Value)> optimizer)
    {
        var temp = Path.Combine(Directory, $"latest.tmp-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temp);
        SaveTensors(Path.Combine(temp, "adapter.safetensors"), adapter);
        SaveTensors(Path.Combine(temp, "optimizer.safetensors"), optimizer);
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));

        var old = Path.Combine(Directory, "latest.old");
        if (System.IO.Directory.Exists(old))
        {
            System.IO.Directory.Delete(old, recursive: true);
        }

        if (System.IO.Directory.Exists(LatestDirectory))
        {
            System.IO.Directory.Move(LatestDirectory, old);
        }

        System.IO.Directory.Move(temp, LatestDirectory);
        if (System.IO.Directory.Exists(old))
        {
            System.IO.Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>Saves the adapter tensors of the best epoch.</summary>
    public void SaveBest(IEnumerable<(string Name, Tensor Value)> adapter)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(BestAdapterPath)!);
        var temp = BestAdapterPath + ".tmp";
        SaveTensors(temp, adapter);
        File.Move(temp, BestAdapterPath, overwrite: true);
    }

    /// <summary>The latest state, or null when the trial has not finished an epoch yet.</summary>
    public (TrialState State, Dictionary<string, Tensor> Adapter, Dictionary<string, Tensor> Optimizer)? LoadLatest()
    {
        var dir = System.IO.Directory.Exists(LatestDirectory) ? LatestDirectory : Path.Combine(Directory, "latest.old");
        var statePath = Path.Combine(dir, "state.json");
        if (!File.Exists(statePath))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<TrialState>(File.ReadAllText(statePath), Json)
                ?? throw new InvalidDataException("empty state");
            return (state, Safetensors.LoadStateDict(Path.Combine(dir, "adapter.safetensors")), Safetensors.LoadStateDict(Path.Combine(dir, "optimizer.safetensors")));
        }
        catch (Exception ex) when (ex is JsonException or IOException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"{dir}: the checkpoint cannot be read ({ex.Message}). Delete {Directory} to restart the trial from scratch.", ex);
        }
    }

    /// <summary>The scalar state of the latest checkpoint (no tensors), or null when there is none.</summary>
    public TrialState? ReadLatestState()
    {
        var path = Path.Combine(LatestDirectory, "state.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<TrialState>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>The best adapter's tensors.</summary>
    public Dictionary<string, Tensor> LoadBest() =>
        File.Exists(BestAdapterPath)
            ? Safetensors.LoadStateDict(BestAdapterPath)
            : throw new FileNotFoundException($"{BestAdapterPath} is missing: the trial has no best checkpoint yet.", BestAdapterPath);

    private static void SaveTensors(string path, IEnumerable<(string Name, Tensor Value)> tensors)
    {
        using var scope = NewDisposeScope();
        Safetensors.SaveStateDict(path, tensors.ToDictionary(t => t.Name, t => t.Value.detach().cpu().contiguous()));
    }
}
