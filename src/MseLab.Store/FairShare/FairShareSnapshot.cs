using MseLab.Store.Records;

namespace MseLab.Store.FairShare;

/// <summary>What fair share decides from, read in one go: who used how much device time lately, and which sweeps wait.</summary>
/// <param name="ReadAt">The store clock when it was read.</param>
/// <param name="Queued">Sweeps with queued cells, per device kind and dataset (cancelled sweeps left out).</param>
/// <param name="Usage">Users with device time in the window or cells running.</param>
public sealed record FairShareSnapshot(DateTime ReadAt, IReadOnlyList<QueuedSweep> Queued, IReadOnlyList<OwnerUsage> Usage)
{
    /// <summary>Nothing read yet: no sweep waits, nobody used anything.</summary>
    public static FairShareSnapshot Empty { get; } = new(DateTime.MinValue, [], []);
}
