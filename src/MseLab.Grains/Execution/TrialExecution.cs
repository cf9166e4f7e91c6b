using MseLab.Store.Records;

namespace MseLab.Grains.Execution;

/// <summary>How an execution of a claimed cell ended: one of a closed set of outcomes, each recorded its own way.</summary>
public abstract record TrialExecution
{
    private TrialExecution()
    {
    }

    /// <summary>The trial finished: its outcome is stored and the cell succeeds.</summary>
    public sealed record Succeeded(TrialOutcome Outcome) : TrialExecution;

    /// <summary>The trial failed; <paramref name="Class"/> says whether another try may pass.</summary>
    public sealed record Failed(string Error, FailureClass Class) : TrialExecution;

    /// <summary>The trial stopped when asked (sweep cancel, worker shutdown), after a checkpoint.</summary>
    public sealed record Cancelled : TrialExecution;

    /// <summary>The sweep's early-stopping rule stopped the trial at a rung; the store has marked it Pruned already.</summary>
    public sealed record Pruned(string Reason) : TrialExecution;

    /// <summary>The store refused a write: another attempt owns the cell now, and nothing more may be written.</summary>
    public sealed record Lost(string Reason) : TrialExecution;
}
