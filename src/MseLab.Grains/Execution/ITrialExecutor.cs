using MseLab.Store.Records;

namespace MseLab.Grains.Execution;

/// <summary>
/// Runs a claimed cell on a device and reports progress as batches and epochs finish: the seam between the grains and
/// whatever trains. The worker host registers the engine; benchmarks and tests register their own.
/// </summary>
public interface ITrialExecutor
{
    /// <param name="trial">The claimed cell.</param>
    /// <param name="device">The local device, e.g. <c>cpu</c> or <c>cuda:3</c>.</param>
    /// <param name="progress">Called as batches and epochs finish.</param>
    /// <param name="cancellationToken">Stops at the next batch, after a checkpoint (then <see cref="TrialExecution.Cancelled"/>).</param>
    Task<TrialExecution> ExecuteAsync(ClaimedTrial trial, string device, Action<TrialEpochUpdate> progress, CancellationToken cancellationToken);
}
