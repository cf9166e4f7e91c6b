using MseLab.Contracts;

namespace MseLab.Cluster.Silo;

/// <summary>
/// What a worker must have to run a trial besides a device that fits (the trial's data, with the hash it was submitted
/// with). Asked before the trial is claimed: a worker that cannot run it hands it back to the queue for one that can. The
/// silo's default accepts every trial; the worker host registers its own before <c>AddMseLabSilo</c>.
/// </summary>
public interface ITrialPrerequisites
{
    /// <summary>Why this worker cannot run <paramref name="trial"/> (a sentence for the log), or null when it can.</summary>
    ValueTask<string?> RefusalAsync(RunTrial trial, CancellationToken cancellationToken);
}
