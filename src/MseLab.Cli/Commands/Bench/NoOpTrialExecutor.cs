using MseLab.Grains;
using MseLab.Grains.Execution;
using MseLab.Store.Records;

namespace MseLab.Cli.Commands.Bench;

/// <summary>Finishes every trial at once with no metrics: the orchestration path alone, for <c>mselab bench dispatch</c>.</summary>
internal sealed class NoOpTrialExecutor : ITrialExecutor
{
    private static readonly TrialExecution Done = new TrialExecution.Succeeded(
        new TrialOutcome(0, 0, "no-op", new Dictionary<string, double>(), 0, new ProvenanceRecord(null, false, Environment.MachineName, "n/a", "n/a", "none", "none", 0, 0)));

    public Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken) =>
        Task.FromResult(Done);
}
