namespace MseLab.Store.Records;

/// <summary>Counts of a sweep's cells by status.</summary>
public sealed record SweepSummary(string Id, string File, bool Cancelled, int Queued, int Running, int Succeeded, int Failed, int CancelledCells, int Pruned, DateTime UpdatedAt)
{
    /// <summary>Every cell; <see cref="Pruned"/> ones were stopped by the sweep's early-stopping rule (promoted ones are queued again).</summary>
    public int Total => Queued + Running + Succeeded + Failed + CancelledCells + Pruned;

    /// <summary>True when no cell is waiting or running.</summary>
    public bool Finished => Queued == 0 && Running == 0;
}
