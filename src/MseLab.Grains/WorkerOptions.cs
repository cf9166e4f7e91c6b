using System.ComponentModel.DataAnnotations;

namespace MseLab.Grains;

/// <summary>
/// This worker's identity, devices and lease timing. Bound from the <c>Worker</c> configuration section and validated when
/// the host starts.
/// </summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string SectionName = "Worker";

    /// <summary>Seconds between heartbeats of a running trial.</summary>
    public const double DefaultHeartbeatSeconds = 2;

    /// <summary>The device a worker drives when <see cref="Devices"/> lists none.</summary>
    public const string DefaultDevice = "cpu:0";

    /// <summary>
    /// Silo name and host part of every device key. Defaults to the machine name; two workers on one machine need
    /// distinct hosts (e.g. <c>host-a-1</c>).
    /// </summary>
    public string Host { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>
    /// The devices this worker drives, e.g. <c>cpu:0</c>, <c>cuda:0=80</c>, <c>cuda:1=80</c> (<c>=GB</c> declares the device's
    /// memory; <see cref="DefaultDevice"/> when none).
    /// </summary>
    /// <remarks>
    /// Empty until bound, and defaulted after binding: the configuration binder appends to a list it finds, so a default
    /// item would stay in front of the configured devices (<c>cpu:0</c> configured became <c>cpu:0, cpu:0</c>).
    /// </remarks>
    public List<string> Devices { get; set; } = [];

    /// <summary>
    /// Folders whose Hugging Face model folders submitted sweeps may name as backbones (absolute; <c>--backbone-root</c>,
    /// repeatable). Empty: this worker confines nothing and runs any backbone path, as a single-user lab does. Once any
    /// worker names one, submission refuses backbone folders and <c>data_root</c>s outside the registered roots, and this
    /// worker refuses (before it claims) a trial whose folder resolves outside its own roots, symbolic links followed.
    /// </summary>
    public List<string> BackboneRoots { get; set; } = [];

    /// <summary>
    /// Trials each device runs at once, sharing the device's backbone: every device offers this many slots (see
    /// <see cref="DeviceSlots"/>), each advertising the whole device's memory.
    /// </summary>
    public int TrialsPerDevice { get; set; } = 1;

    /// <summary>Seconds between heartbeats of a running trial.</summary>
    public double HeartbeatSeconds { get; set; } = DefaultHeartbeatSeconds;

    /// <summary>A running cell whose heartbeat is older than this is taken from its worker and queued again (0: three heartbeats).</summary>
    public double LeaseSeconds { get; set; }

    /// <summary>How long a queue message may wait here for a free device before it is handed back to the queue (keep it well under the broker's ack timeout).</summary>
    public double HoldSeconds { get; set; } = 10;

    /// <summary>Seconds between the lease sweeper's checks for lost cells and unsent messages.</summary>
    public double SweepSeconds { get; set; } = 1;

    /// <summary>
    /// A test and diagnostic knob, 0 in production: seconds added to this worker's wall clock (its host's
    /// <see cref="TimeProvider"/>), so that it behaves as a machine whose clock is that far off. Leases do not depend on it
    /// (the store keeps time by the database's clock); the cluster tests prove that with workers 5 minutes fast and slow.
    /// </summary>
    public double ClockOffsetSeconds { get; set; }

    /// <summary>The most <see cref="ClockOffsetSeconds"/> may shift the clock either way (a day).</summary>
    public const double MaxClockOffsetSeconds = 86_400;

    /// <summary>The shift of this worker's wall clock (<see cref="ClockOffsetSeconds"/>).</summary>
    public TimeSpan ClockOffset => TimeSpan.FromSeconds(ClockOffsetSeconds);

    /// <summary>The lease in effect.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds > 0 ? LeaseSeconds : 3 * HeartbeatSeconds);

    /// <summary>The parsed <see cref="Devices"/> (<see cref="DefaultDevice"/> when none are listed).</summary>
    public IReadOnlyList<DeviceSpec> Specs => (Devices.Count == 0 ? [DefaultDevice] : Devices).Select(DeviceSpec.Parse).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host.Length == 0 || Host.Contains('/', StringComparison.Ordinal))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Host)} must be a non-empty name without '/', not '{Host}'.", [nameof(Host)]);
        }

        List<DeviceSpec>? specs = null;
        string? malformed = null;
        try
        {
            specs = [.. Specs];
        }
        catch (FormatException e)
        {
            malformed = e.Message;
        }

        if (malformed is not null)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Devices)}: {malformed}", [nameof(Devices)]);
        }
        else if (specs!.Select(s => s.Device).Distinct(StringComparer.Ordinal).Count() != specs!.Count)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Devices)} lists a device twice; list it once, and set {nameof(TrialsPerDevice)} to run several trials on it.", [nameof(Devices)]);
        }

        if (TrialsPerDevice < 1)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(TrialsPerDevice)} must be at least 1 (trials each device runs at once), not {TrialsPerDevice}.", [nameof(TrialsPerDevice)]);
        }

        foreach (var root in BackboneRoots.Where(r => !Path.IsPathFullyQualified(r)))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(BackboneRoots)}: '{root}' is not an absolute folder; write the full path (--backbone-root makes a relative one absolute).", [nameof(BackboneRoots)]);
        }

        if (!(Math.Abs(ClockOffsetSeconds) <= MaxClockOffsetSeconds))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(ClockOffsetSeconds)} must be within +-{MaxClockOffsetSeconds:0} seconds (a test knob that shifts this worker's clock; leave it 0), not {ClockOffsetSeconds}.",
                [nameof(ClockOffsetSeconds)]);
        }

        if (!(HoldSeconds > 0) || !(HeartbeatSeconds > 0) || !(SweepSeconds > 0) || Lease.TotalSeconds < 2 * HeartbeatSeconds)
        {
            yield return new ValidationResult(
                $"{SectionName}: HoldSeconds, HeartbeatSeconds and SweepSeconds must be positive and LeaseSeconds at least two heartbeats.",
                [nameof(HoldSeconds), nameof(HeartbeatSeconds), nameof(LeaseSeconds)]);
        }
    }
}
