namespace MseLab.Store.FairShare;

/// <summary>
/// The order in which queued sweeps get a free device: first the user with the least recent device time divided by their
/// weight, then the sweep with the higher priority, then the sweep whose oldest cell has waited longest (first in, first
/// out); the sweep id breaks the last ties so that every worker computes the same order.
/// </summary>
public static class FairShareOrder
{
    /// <summary>
    /// A user's device time at <paramref name="now"/>, estimated from <paramref name="snapshot"/>: attempts that ended in the
    /// window, plus their running cells, each charged at least the mean length of their recent attempts (so a device given to
    /// them counts at once: devices freed together are shared out, not all handed to whoever was lowest a moment before),
    /// plus the cells this process claimed for them since, charged the same way.
    /// </summary>
    public static double UsageOf(FairShareSnapshot snapshot, string owner, DateTime now, IEnumerable<LocalClaim> claimedSince)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(claimedSince);
        var usage = 0.0;
        var mean = 0.0;
        foreach (var u in snapshot.Usage)
        {
            if (string.Equals(u.Owner, owner, StringComparison.Ordinal))
            {
                mean = u.MeanLength;
                var running = u.RunningSeconds + (u.Running * Math.Max(0, (now - snapshot.ReadAt).TotalSeconds));
                usage += u.EndedSeconds + Math.Max(running, u.Running * mean);
            }
        }

        foreach (var claim in claimedSince)
        {
            if (string.Equals(claim.Owner, owner, StringComparison.Ordinal))
            {
                usage += Math.Max(Math.Max(0, (now - claim.At).TotalSeconds), mean);
            }
        }

        return usage;
    }

    /// <summary>
    /// The sweeps with queued cells of <paramref name="deviceKind"/>, in the order fair share serves them. Cells of a
    /// dataset in <paramref name="excludedDatasets"/> (this worker cannot run them) do not count.
    /// </summary>
    /// <param name="snapshot">What was read from the store.</param>
    /// <param name="deviceKind">The free device's kind.</param>
    /// <param name="weightOf">Each user's weight (greater than 0; 2 gets twice the device time of 1).</param>
    /// <param name="now">The store clock now.</param>
    /// <param name="claimedSince">Cells this process claimed after the snapshot was read.</param>
    /// <param name="excludedDatasets">Datasets this worker refuses.</param>
    public static IReadOnlyList<string> Sweeps(
        FairShareSnapshot snapshot, string deviceKind, Func<string, double> weightOf, DateTime now, IReadOnlyList<LocalClaim> claimedSince,
        IReadOnlyCollection<string>? excludedDatasets = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(weightOf);
        var usage = new Dictionary<string, double>(StringComparer.Ordinal);
        double WeightedUsageOf(string owner)
        {
            if (!usage.TryGetValue(owner, out var u))
            {
                u = UsageOf(snapshot, owner, now, claimedSince) / weightOf(owner);
                usage[owner] = u;
            }

            return u;
        }

        return snapshot.Queued
            .Where(q => string.Equals(q.DeviceKind, deviceKind, StringComparison.Ordinal) && excludedDatasets?.Contains(q.Dataset) != true)
            .GroupBy(q => (q.SweepId, q.Owner))
            .Select(g => (g.Key.SweepId, Usage: WeightedUsageOf(g.Key.Owner), Priority: g.Max(q => q.Priority), Oldest: g.Min(q => q.OldestQueuedAt)))
            .OrderBy(s => s.Usage).ThenByDescending(s => s.Priority).ThenBy(s => s.Oldest).ThenBy(s => s.SweepId, StringComparer.Ordinal)
            .Select(s => s.SweepId)
            .ToList();
    }
}
