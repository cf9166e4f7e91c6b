using MseLab.Contracts;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Roots;
using MseLab.Store.Records;

namespace MseLab.Cluster.Silo;

/// <summary>
/// A trial whose backbone is a folder runs on this worker only when the folder, every symbolic link on the way resolved
/// on this machine, lies under one of the worker's backbone roots. Submission checked the path as written; this check
/// sees the worker's own disk, where a link inside a root may lead anywhere. A worker without backbone roots runs any
/// folder (a single-user lab).
/// </summary>
public sealed class BackboneRootsPrerequisites(WorkerRoots roots) : ITrialPrerequisites
{
    public ValueTask<string?> RefusalAsync(RunTrial trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!roots.Confines || string.IsNullOrWhiteSpace(trial.Backbone) || BackboneRef.Parse(trial.Backbone, "/") is not FolderBackbone folder)
        {
            return ValueTask.FromResult<string?>(null);   // no roots here, or a preset: nothing to confine
        }

        var refusal = PathRoots.Refusal(trial.Backbone, folder.Directory, [.. roots.Backbones]);
        return ValueTask.FromResult(refusal is null ? null
            : $"backbone {trial.Backbone} {refusal} of this worker ({string.Join(", ", roots.Backbones)}; --backbone-root)");
    }
}
