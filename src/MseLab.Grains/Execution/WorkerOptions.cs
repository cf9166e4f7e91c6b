namespace MseLab.Grains.Execution;

/// <summary>This worker's identity and devices. Bound from the <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Seconds between heartbeats of a running trial.</summary>
    public const double DefaultHeartbeatSeconds = 2;

    /// <summary>
    /// Silo name and host part of every device key. Defaults to the machine name; two workers on one machine need
    /// distinct hosts (e.g. <c>host-a-1</c>).
    /// </summary>
    public string Host { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>The device a worker drives when <see cref="Devices"/> lists none.</summary>
    public const string DefaultDevice = "cpu:0";

    /// <summary>The devices this worker drives, e.g. <c>cpu:0</c>, <c>cuda:0</c>, <c>cuda:1</c> (<see cref="DefaultDevice"/> when none).</summary>
    /// <remarks>
    /// Empty until bound, and defaulted after binding: the configuration binder appends to a list it finds, so a default
    /// item would stay in front of the configured devices (<c>cpu:0</c> configured became <c>cpu:0, cpu:0</c>).
    /// </remarks>
    public List<string> Devices { get; set; } = [];

    /// <summary>Where trial folders (checkpoints, result.json) live, one per sweep and cell.</summary>
    public string RunsDirectory { get; set; } = ".mselab/runs";

    /// <summary>Where the named preset <c>tiny</c> is created on first use.</summary>
    public string ModelsDirectory { get; set; } = "models";

    public double HeartbeatSeconds { get; set; } = DefaultHeartbeatSeconds;

    /// <summary>Intra-op threads per trial (the torch thread pool is process-wide).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>The device keys (<c>host/device</c>) of this worker.</summary>
    public IReadOnlyList<string> DeviceKeys => Devices.Select(d => $"{Host}/{d}").ToList();
}
