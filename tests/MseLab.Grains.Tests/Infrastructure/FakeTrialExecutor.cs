using MseLab.Grains.Execution;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>Stands in for the engine on one silo: runs the <see cref="TrialScript"/> registered for the trial's key.</summary>
public sealed class FakeTrialExecutor(TrialScripts scripts, string host) : ITrialExecutor
{
    public Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return scripts.For(trial.Key).RunAsync(trial, host, progress, cancellationToken);
    }
}
