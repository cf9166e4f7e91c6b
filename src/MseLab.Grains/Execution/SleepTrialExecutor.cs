using MseLab.Data.Records;

namespace MseLab.Grains.Execution;

/// <summary>
/// Holds the device for a fixed time with a heartbeat, then succeeds with no metrics: a long trial without the compute,
/// for the failover benchmark (<c>mselab bench dispatch --cluster</c> kills workers that run these).
/// </summary>
public sealed class SleepTrialExecutor(TimeSpan duration) : ITrialExecutor
{
    private static readonly ProvenanceRecord Provenance = new(null, false, Environment.MachineName, "n/a", "n/a", "none", "none", 0, 0);

    public async Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken)
    {
        await Task.Delay(duration, cancellationToken);
        return new TrialExecution(new TrialOutcome(0, 0, "sleep", new Dictionary<string, double>(), duration.TotalSeconds, Provenance));
    }
}
