using MseLab.Data.Records;

namespace MseLab.Grains.Execution;

/// <summary>Finishes every trial at once with no metrics: measures the orchestration path alone (<c>mselab bench dispatch</c>).</summary>
public sealed class NoOpTrialExecutor : ITrialExecutor
{
    private static readonly ProvenanceRecord Provenance = new(null, false, Environment.MachineName, "n/a", "n/a", "none", "none", 0, 0);

    public Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken) =>
        Task.FromResult(new TrialExecution(new TrialOutcome(0, 0, "no-op", new Dictionary<string, double>(), 0, Provenance)));
}
