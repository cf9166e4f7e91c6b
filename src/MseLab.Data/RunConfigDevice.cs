using System.Text.Json;

namespace MseLab.Data;

/// <summary>Reads the device kind (<c>cpu</c>, <c>cuda</c>) from a stored run configuration's <c>Device</c> field.</summary>
internal static class RunConfigDevice
{
    public static string Kind(string runConfig)
    {
        using var document = JsonDocument.Parse(runConfig);
        var device = document.RootElement.TryGetProperty("Device", out var value) ? value.GetString() ?? "cpu" : "cpu";
        var colon = device.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? device : device[..colon];
    }
}
