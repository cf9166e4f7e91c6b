using MseLab.Contracts;

namespace MseLab.Cluster.Silo;

/// <summary>The default <see cref="ITrialPrerequisites"/>: every trial can run here (hosts whose executor needs nothing more).</summary>
public sealed class AnyTrial : ITrialPrerequisites
{
    public ValueTask<string?> RefusalAsync(RunTrial trial, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
