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

    /// <summary>
    /// The devices this worker drives, e.g. <c>cpu:0</c>, <c>cuda:0=80</c>, <c>cuda:1=80</c> (<c>=GB</c> declares the device's
    /// memory; <see cref="DefaultDevice"/> when none).
    /// </summary>
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

    /// <summary>A running cell whose heartbeat is older than this is taken from its worker and queued again (0: three heartbeats).</summary>
    public double LeaseSeconds { get; set; }

    /// <summary>How long a queue message may wait here for a free device before it is handed back to the queue (keep it well under the broker's ack timeout).</summary>
    public double HoldSeconds { get; set; } = 10;

    /// <summary>Seconds between the lease sweeper's checks for lost cells and unsent messages.</summary>
    public double SweepSeconds { get; set; } = 1;

    /// <summary>The lease in effect.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds > 0 ? LeaseSeconds : 3 * HeartbeatSeconds);

    /// <summary>
    /// What runs a trial: <c>engine</c> (MSE-Adapter training, the default); for benchmarks of the orchestration alone
    /// <c>noop</c> (finishes at once) or <c>sleep:SECONDS</c> (holds the device that long).
    /// </summary>
    public string Executor { get; set; } = "engine";

    /// <summary>Intra-op threads per trial (the torch thread pool is process-wide).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>The device keys (<c>host/device</c>) of this worker.</summary>
    public IReadOnlyList<string> DeviceKeys => Specs.Select(d => $"{Host}/{d.Device}").ToList();

    /// <summary>The parsed <see cref="Devices"/>.</summary>
    public IReadOnlyList<DeviceSpec> Specs => Devices.Select(DeviceSpec.Parse).ToList();
}
