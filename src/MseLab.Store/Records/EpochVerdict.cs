namespace MseLab.Store.Records;

/// <summary>What the store says to a recorded epoch: go on, stop pruned (the epoch and checkpoints are stored), or stop lost.</summary>
/// <param name="Decision">Go on, pruned or lost.</param>
/// <param name="Promoted">Cells of other seed groups the rule promoted at this epoch, queued again from their checkpoints: send them.</param>
/// <param name="Reason">Why the cell was pruned (the rule, the rung, the group's mean), for the attempt's history and the log.</param>
public sealed record EpochVerdict(EpochDecision Decision, IReadOnlyList<QueuedCell> Promoted, string? Reason = null)
{
    public static EpochVerdict Continue { get; } = new(EpochDecision.Continue, []);

    public static EpochVerdict Lost { get; } = new(EpochDecision.Lost, []);
}
