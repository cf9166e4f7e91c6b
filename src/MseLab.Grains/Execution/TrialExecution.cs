using MseLab.Data.Records;

namespace MseLab.Grains.Execution;

/// <summary>How an execution ended: an outcome to store, or an error and whether trying again could help.</summary>
public sealed record TrialExecution(TrialOutcome? Outcome, string? Error = null, bool Retryable = false, bool LostOwnership = false)
{
    public static TrialExecution Failed(string error, bool retryable) => new(null, error, retryable);
}
