using MseLab.Experiments.Presets;
using MseLab.Models.Adapter;
using MseLab.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Training.Trials;

/// <summary>
/// A fresh adapter for a trial: initialised on the CPU from the seed, then moved to the trial's device, as the official
/// code builds its model before <c>.to(device)</c> (run.py:58). A seed thus gives the same initial adapter on every
/// device (CUDA's own generator would draw other numbers).
/// </summary>
internal static class SeededAdapter
{
    public static MseAdapter Create(MseAdapterConfig config, int seed, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        MseAdapter adapter;
        lock (TorchRuntime.RandomState)
        {
            manual_seed(seed);
            adapter = new MseAdapter(config, CPU);
        }

        if (device.type != DeviceType.CPU)
        {
            adapter.to(device);
        }

        return adapter;
    }
}
