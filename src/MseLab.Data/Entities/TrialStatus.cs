namespace MseLab.Data.Entities;

/// <summary>Where a sweep cell stands. Stored as text so that SQL reads well.</summary>
public enum TrialStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
