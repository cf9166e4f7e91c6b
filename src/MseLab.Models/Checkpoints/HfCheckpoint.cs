using TorchSharp.PyBridge;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.Checkpoints;

/// <summary>
/// The weights of a Hugging Face model folder (see <see cref="CheckpointFiles"/>), loaded into a module whose parameter
/// names equal HF's: every name and shape is checked, missing or unexpected tensors are reported by name, and tensors
/// are streamed one at a time (never a whole file as a state dict for safetensors), converted to each parameter's dtype.
/// </summary>
public static class HfCheckpoint
{
    public const string SingleFile = CheckpointFiles.SafetensorsFile;
    public const string IndexFile = CheckpointFiles.SafetensorsIndex;

    /// <summary>The weight files of <paramref name="directory"/>, in load order (safetensors preferred over .bin).</summary>
    public static IReadOnlyList<string> WeightFiles(string directory) => CheckpointFiles.Find(directory).Files;

    /// <summary>
    /// Copies the checkpoint's tensors into <paramref name="module"/>'s parameters (converting F16/BF16/F32 to each
    /// parameter's dtype). <paramref name="ignorable"/> tells which extra tensors to skip (e.g. legacy rotary buffers).
    /// A module built on <see cref="EmptyWeights.Device"/> gets each parameter allocated once on <paramref name="device"/>
    /// (default CPU) and filled there, with no random initialisation; its buffers are then moved to that device.
    /// </summary>
    public static void LoadInto(nn.Module module, string directory, Func<string, bool>? ignorable = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        device ??= CPU;
        var files = CheckpointFiles.Find(directory);
        var slots = ParameterSlot.Of(module);
        var meta = slots.Values.Any(s => s.OnMeta);
        var loader = new SlotLoader(directory, slots, ignorable, device);
        if (files.Format == CheckpointFormat.Safetensors)
        {
            loader.LoadSafetensors(files.Files);
        }
        else
        {
            loader.LoadPyTorch(files);
        }

        if (meta)
        {
            MoveBuffers(module, device);
        }
    }

    /// <summary>Writes <paramref name="module"/>'s parameters as one <c>model.safetensors</c> in <paramref name="dtype"/>.</summary>
    public static void Save(nn.Module module, string directory, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(module);
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var state = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to(dtype).contiguous(), StringComparer.Ordinal);
        var temp = Path.Combine(directory, SingleFile + ".tmp");
        Safetensors.SaveStateDict(temp, state);
        File.Move(temp, Path.Combine(directory, SingleFile), overwrite: true);
    }

    // Computed buffers of a module built on meta were made on the CPU (EmptyWeights.BufferDevice); one left on meta has no values.
    private static void MoveBuffers(nn.Module module, Device device)
    {
        var empty = module.named_buffers(true, true).Where(b => b.buffer.device_type == DeviceType.META).Select(b => b.name).ToList();
        if (empty.Count > 0)
        {
            throw new InvalidOperationException(
                $"{module.GetType().Name} was built on the meta device but its buffers {string.Join(", ", empty)} have no values: " +
                "compute them on EmptyWeights.BufferDevice(device) in the module's constructor.");
        }

        if (device.type != DeviceType.CPU)
        {
            module.to(device);
        }
    }
}
