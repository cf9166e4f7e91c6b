namespace MseLab.Grains;

/// <summary>
/// One sweep, keyed by its name: live progress of every cell and the place for cross-trial decisions. Its state is
/// rebuilt from the results store on activation, so it can move or restart without losing anything.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Counts by status and a row per cell (status, epoch, loss, validation metric, ETA).</summary>
    Task<SweepProgress> GetProgressAsync();

    /// <summary>
    /// What devices report about the sweep's cells, in the order each device's silo saw it (a silo sends them in batches;
    /// batches from different silos arrive in any order, and late or overtaken reports are recognised and dropped).
    /// </summary>
    Task ReportAsync(IReadOnlyList<CellEvent> events);

    /// <summary>Cancels the sweep: queued cells are dropped, running ones checkpoint and stop. Returns how many were running.</summary>
    Task<int> CancelAsync();

    /// <summary>Reloads the cells from the store (after a submission added or requeued some).</summary>
    Task RefreshAsync();
}
