using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.Checkpoints;

/// <summary>
/// Building a model without random weights: construct it on <see cref="Device"/> (the meta device: shapes and dtypes,
/// no memory, no init kernels), then <see cref="HfCheckpoint.LoadInto"/> with the target device allocates each
/// parameter once, on that device, and fills it from the checkpoint. Two rules make a module fit: it keeps its
/// parameters in fields (or registered only), as TorchSharp's own modules do; and buffers it computes (rotary tables)
/// are built on <see cref="BufferDevice"/>, so they hold real values that the loader then moves to the target device.
/// </summary>
public static class EmptyWeights
{
    /// <summary>The meta device: pass it as the model constructor's device.</summary>
    public static Device Device { get; } = new(DeviceType.META);

    /// <summary>Where a module built on <paramref name="device"/> computes its buffers: the CPU while on meta, else the device.</summary>
    public static Device BufferDevice(Device device) => device.type == DeviceType.META ? CPU : device;
}
