using Orleans.Placement;

namespace MseLab.Grains.Placement;

/// <summary>Marks a grain keyed <c>host/device</c> to live on the silo named after the host.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DeviceHostPlacementAttribute() : PlacementAttribute(DeviceHostPlacement.Instance);
