using MseLab.Experiments.Trials;

namespace MseLab.Grains;

/// <summary>
/// One sweep, keyed by its name: live progress of every cell and the place for cross-trial decisions. Its state is
/// rebuilt from the results store on activation, so it can move or restart without losing anything.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Counts by status and a row per cell (status, epoch, loss, validation metric, ETA).</summary>
    Task<SweepProgress> GetProgressAsync();

    /// <summary>A device started a cell.</summary>
    Task OnTrialStartedAsync(string trialKey, int attempt, string device);

    /// <summary>A running cell finished an epoch.</summary>
    Task OnTrialEpochAsync(TrialEpochUpdate update);

    /// <summary>A cell's attempt ended with <paramref name="status"/>.</summary>
    Task OnTrialFinishedAsync(string trialKey, int attempt, TrialStatus status);

    /// <summary>Cancels the sweep: queued cells are dropped, running ones checkpoint and stop. Returns how many were running.</summary>
    Task<int> CancelAsync();

    /// <summary>Reloads the cells from the store (after a submission added or requeued some).</summary>
    Task RefreshAsync();
}
