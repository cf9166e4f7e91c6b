using MseLab.Contracts;

namespace MseLab.Cluster.Silo;

/// <summary>Several <see cref="ITrialPrerequisites"/> in order: the first refusal wins.</summary>
public sealed class AllPrerequisites(IReadOnlyList<ITrialPrerequisites> checks) : ITrialPrerequisites
{
    /// <summary>The checks, in the order they are asked.</summary>
    public IReadOnlyList<ITrialPrerequisites> Checks => checks;

    public async ValueTask<string?> RefusalAsync(RunTrial trial, CancellationToken cancellationToken)
    {
        foreach (var check in checks)
        {
            if (await check.RefusalAsync(trial, cancellationToken) is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }
}
