namespace MseLab.Store.Records;

/// <summary>
/// A cell the store has queued (new, requeued or retried) whose message is to be sent: everything a worker needs to pick
/// it up, and the labels its metrics and traces carry.
/// </summary>
/// <param name="Lease">The cell and the attempt it is queued as.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="DeviceKind">The device kind the cell needs (<c>cpu</c>, <c>cuda</c>).</param>
/// <param name="MemoryGb">Device memory the cell needs.</param>
/// <param name="NotBefore">Retry backoff: the attempt does not start before this time (UTC).</param>
/// <param name="Backbone">The backbone as the sweep names it.</param>
/// <param name="Dataset">The dataset as the sweep names it.</param>
public sealed record QueuedCell(TrialLease Lease, int Priority, string DeviceKind, double MemoryGb, DateTime? NotBefore, string Backbone, string Dataset)
{
    public string SweepId => Lease.SweepId;

    public string Key => Lease.Key;

    public int Attempt => Lease.Attempt;
}
