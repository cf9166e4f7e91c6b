namespace MseLab.Store.Records;

/// <summary>What a submission changed: new cells, cells requeued, cells already finished, and the cells to send.</summary>
public sealed record SubmitOutcome(int Added, int Requeued, int AlreadyDone, int AlreadyQueued, IReadOnlyList<QueuedCell> Dispatch);
