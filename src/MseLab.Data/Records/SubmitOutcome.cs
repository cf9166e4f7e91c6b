using MseLab.Contracts;

namespace MseLab.Data.Records;

/// <summary>What a submission changed: new cells, cells requeued, cells already finished, and the messages to send.</summary>
public sealed record SubmitOutcome(int Added, int Requeued, int AlreadyDone, int AlreadyQueued, IReadOnlyList<RunTrial> Dispatch);
