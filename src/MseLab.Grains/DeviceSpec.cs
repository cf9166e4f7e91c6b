using System.Globalization;

namespace MseLab.Grains;

/// <summary>A device as configured: <c>cuda:0=80</c> is device <c>cuda:0</c> of kind <c>cuda</c> with 80 GB.</summary>
public sealed record DeviceSpec(string Device, string Kind, double MemoryGb)
{
    /// <summary>
    /// Parses <c>kind:index[=GB]</c>. Without a size, a CPU device gets the machine's memory and a CUDA device 0 (unknown:
    /// trials of any declared size are sent to it).
    /// </summary>
    public static DeviceSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('=', 2);
        var device = parts[0].Trim();
        var colon = device.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? device : device[..colon];
        if (kind is not ("cpu" or "cuda") || (colon >= 0 && !int.TryParse(device[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"Device '{text}' is not 'cpu:N' or 'cuda:N' with an optional '=GB' (e.g. cuda:0=80).");
        }

        double memory;
        if (parts.Length == 2)
        {
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out memory) || memory <= 0)
            {
                throw new FormatException($"Device '{text}': the memory after '=' must be a positive number of GB.");
            }
        }
        else
        {
            memory = kind == "cpu" ? Math.Floor(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9) : 0;
        }

        return new DeviceSpec(device, kind, memory);
    }
}
