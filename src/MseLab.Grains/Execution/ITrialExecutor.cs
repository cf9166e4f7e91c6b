using MseLab.Data.Records;

namespace MseLab.Grains.Execution;

/// <summary>Runs a claimed cell on a device and reports epochs as they finish. The engine in production, a no-op in the dispatch benchmark.</summary>
public interface ITrialExecutor
{
    /// <param name="trial">The claimed cell.</param>
    /// <param name="device">The local device, e.g. <c>cpu</c> or <c>cuda:3</c>.</param>
    /// <param name="progress">Called from the training thread as batches and epochs finish.</param>
    /// <param name="cancellationToken">Stops at the next batch, after a checkpoint.</param>
    Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken);
}
