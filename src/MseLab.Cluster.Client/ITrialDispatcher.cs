using MseLab.Store.Records;

namespace MseLab.Cluster.Client;

/// <summary>Sends queued cells to the job queue (the queue of their device kind) and clears their outbox flag in the store.</summary>
public interface ITrialDispatcher
{
    /// <summary>
    /// Sends <paramref name="cells"/>, higher priority first. Throws when the queue is unreachable; the store's outbox flag
    /// then stays and the lease sweeper sends them later.
    /// </summary>
    Task DispatchAsync(IReadOnlyList<QueuedCell> cells, CancellationToken cancellationToken = default);
}
