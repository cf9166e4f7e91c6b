using System.Diagnostics;
using System.Globalization;

namespace MseLab.Grains.Telemetry;

/// <summary>
/// GPU memory in use per CUDA device, read from <c>nvidia-smi</c> (TorchSharp exposes no allocator statistics) at most
/// every few seconds in the background, so that a metrics scrape never waits for it. The figure is the whole device's,
/// other processes included. Without nvidia-smi it reports nothing.
/// </summary>
public sealed class NvidiaSmiMemory
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly string _executable;
    private volatile Dictionary<int, long> _used = [];
    private DateTime _readAt = DateTime.MinValue;
    private int _reading;
    private bool _unavailable;

    public NvidiaSmiMemory(string executable = "nvidia-smi") => _executable = executable;

    /// <summary>Bytes in use on <paramref name="device"/> (a device or slot key: <c>host/cuda:N</c>, <c>host/cuda:N#2</c>), or null when unknown.</summary>
    public long? Used(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (_unavailable)
        {
            return null;
        }

        if (DateTime.UtcNow - _readAt > MaxAge && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
        {
            _ = Task.Run(Refresh);
        }

        var torch = DeviceSlots.TorchDeviceOf(device);
        return torch.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(torch[5..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && _used.TryGetValue(index, out var bytes)
            ? bytes
            : null;
    }

    /// <summary>Parses <c>--query-gpu=index,memory.used --format=csv,noheader,nounits</c> output (MiB) into bytes per index.</summary>
    public static Dictionary<int, long> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var used = new Dictionary<int, long>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib))
            {
                used[index] = mib * 1024 * 1024;
            }
        }

        return used;
    }

    private void Refresh()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(_executable, ["--query-gpu=index,memory.used", "--format=csv,noheader,nounits"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            _used = Parse(output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            _unavailable = true;   // no nvidia-smi on this machine: stop trying
        }
        finally
        {
            _readAt = DateTime.UtcNow;
            Interlocked.Exchange(ref _reading, 0);
        }
    }
}
