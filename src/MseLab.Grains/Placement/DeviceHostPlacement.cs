namespace MseLab.Grains.Placement;

/// <summary>Places a device grain (key <c>host/device</c>) on the silo whose name is that host.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class DeviceHostPlacement : PlacementStrategy
{
    public static DeviceHostPlacement Instance { get; } = new();

    /// <summary>The host part of a device key: <c>host-a/cuda:3</c> gives <c>host-a</c>.</summary>
    public static string HostOf(string deviceKey)
    {
        ArgumentNullException.ThrowIfNull(deviceKey);
        var slash = deviceKey.LastIndexOf('/');
        if (slash <= 0 || slash == deviceKey.Length - 1)
        {
            throw new ArgumentException($"Device key '{deviceKey}' is not 'host/device' (e.g. 'host-a/cpu:0').", nameof(deviceKey));
        }

        return deviceKey[..slash];
    }

    /// <summary>The device part of a device key: <c>host-a/cuda:3</c> gives <c>cuda:3</c>.</summary>
    public static string DeviceOf(string deviceKey) => deviceKey[(HostOf(deviceKey).Length + 1)..];
}
