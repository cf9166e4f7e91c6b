namespace MseLab.Store.Records;

/// <summary>Counts of a sweep's cells by status.</summary>
public sealed record SweepSummary(string Id, string File, bool Cancelled, int Queued, int Running, int Succeeded, int Failed, int CancelledCells, DateTime UpdatedAt)
{
    public int Total => Queued + Running + Succeeded + Failed + CancelledCells;

    /// <summary>True when no cell is waiting or running.</summary>
    public bool Finished => Queued == 0 && Running == 0;
}
