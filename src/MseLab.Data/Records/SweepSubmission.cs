namespace MseLab.Data.Records;

/// <summary>A validated, expanded sweep ready to be stored and queued.</summary>
public sealed record SweepSubmission(
    string Id,
    string File,
    string Definition,
    string DeviceKind,
    int Retries,
    int Priority,
    IReadOnlyList<CellSubmission> Cells,
    double MemoryGb = 0);
