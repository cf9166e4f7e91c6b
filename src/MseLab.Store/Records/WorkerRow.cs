namespace MseLab.Store.Records;

/// <summary>A registered worker, as <c>mselab worker list</c> shows it.</summary>
public sealed record WorkerRow(string Host, WorkerState State, DateTime StartedAt, DateTime SeenAt, IReadOnlyList<WorkerDevice> Devices)
{
    /// <summary>The folders the worker lets submitted sweeps name (none: it confines nothing).</summary>
    public WorkerRoots Roots { get; init; } = WorkerRoots.None;
}
