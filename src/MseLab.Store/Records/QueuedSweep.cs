namespace MseLab.Store.Records;

/// <summary>A sweep's queued cells of one device kind and dataset, as fair share sees them.</summary>
/// <param name="SweepId">The sweep.</param>
/// <param name="Owner">The user it is charged to (<c>sweeps.Owner</c>).</param>
/// <param name="DeviceKind">The device kind its cells need.</param>
/// <param name="Dataset">The dataset of these cells as the sweep names it (what a worker's prerequisites check).</param>
/// <param name="Priority">The sweep's priority (higher first).</param>
/// <param name="OldestQueuedAt">When its longest-waiting cell was queued (first in, first out between sweeps).</param>
/// <param name="Cells">How many cells wait.</param>
public sealed record QueuedSweep(string SweepId, string Owner, string DeviceKind, string Dataset, int Priority, DateTime OldestQueuedAt, int Cells);
