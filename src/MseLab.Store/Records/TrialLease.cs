namespace MseLab.Store.Records;

/// <summary>
/// One attempt's hold on a sweep cell. Every write of a running attempt names its lease, and the store takes it only
/// while the cell is still Running with that attempt: a stale or duplicated message, or a worker presumed dead that wakes
/// up, can never overwrite a newer attempt or add a second result.
/// </summary>
public sealed record TrialLease(string SweepId, string Key, int Attempt);
