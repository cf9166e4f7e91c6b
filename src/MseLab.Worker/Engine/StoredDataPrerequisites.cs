using MseLab.Cluster.Silo;
using MseLab.Contracts;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Datasets;

namespace MseLab.Worker.Engine;

/// <summary>
/// A trial on stored data runs on this worker only when its data root holds the dataset with the content hash the sweep
/// was submitted with (<see cref="LocalDatasets.Refusal"/>). The hash is read from the message's dataset text, so the check
/// needs neither the store nor the trial's configuration; files are hashed once per change.
/// </summary>
public sealed class StoredDataPrerequisites(LocalDatasets datasets) : ITrialPrerequisites
{
    public ValueTask<string?> RefusalAsync(RunTrial trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!DatasetRef.TryParse(trial.Dataset, out var dataset, out _) || dataset is not StoredDatasetRef)
        {
            return ValueTask.FromResult<string?>(null);   // synthetic data, or a message without a dataset: nothing to have
        }

        try
        {
            // A few file stats; the first check of a dataset (or of changed files) hashes them, once, while other checks of it wait.
            return ValueTask.FromResult(datasets.Refusal(dataset));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never fail the message (it would go to the error queue after its retries): another worker may run it.
            return ValueTask.FromResult<string?>($"this worker cannot check its copy of {dataset.Label} ({e.GetType().Name}: {e.Message})");
        }
    }
}
