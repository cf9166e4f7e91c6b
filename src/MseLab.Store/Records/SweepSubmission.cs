using MseLab.Experiments.EarlyStopping;

namespace MseLab.Store.Records;

/// <summary>A validated, expanded sweep ready to be stored and queued.</summary>
/// <param name="Id">The sweep's name.</param>
/// <param name="File">Where it came from (a path, or the API request).</param>
/// <param name="Definition">The sweep file's text, kept so that a result can be traced to what asked for it.</param>
/// <param name="DeviceKind">The device kind every cell needs (<c>cpu</c>, <c>cuda</c>).</param>
/// <param name="MemoryGb">Device memory every cell needs.</param>
/// <param name="Retries">How often an infrastructure failure is retried.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="Cells">The expanded cells.</param>
/// <param name="Owner">The submitting user; kept from the first submission (a resubmission does not change it).</param>
/// <param name="EarlyStopping">The sweep's rule for stopping losing seed groups across trials, or null.</param>
public sealed record SweepSubmission(
    string Id,
    string File,
    string Definition,
    string DeviceKind,
    double MemoryGb,
    int Retries,
    int Priority,
    IReadOnlyList<CellSubmission> Cells,
    string Owner = SweepOwners.Local,
    EarlyStoppingRule? EarlyStopping = null);
