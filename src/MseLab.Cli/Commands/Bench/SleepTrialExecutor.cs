using MseLab.Grains;
using MseLab.Grains.Execution;
using MseLab.Store.Records;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// Holds the device for a fixed time (heartbeating, as any trial), then succeeds with no metrics: a long trial without the
/// compute, for the failover part of <c>mselab bench dispatch --cluster</c>, which kills workers that run these.
/// </summary>
internal sealed class SleepTrialExecutor(TimeSpan duration) : ITrialExecutor
{
    private static readonly ProvenanceRecord Provenance = new(null, false, Environment.MachineName, "n/a", "n/a", "none", "none", 0, 0);

    public async Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken)
    {
        await Task.Delay(duration, cancellationToken);
        return new TrialExecution.Succeeded(new TrialOutcome(0, 0, "sleep", new Dictionary<string, double>(), duration.TotalSeconds, Provenance));
    }
}
