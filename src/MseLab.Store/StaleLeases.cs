using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Database;
using MseLab.Store.Records;
using static MseLab.Store.Database.LeaseRows;

namespace MseLab.Store;

/// <summary>
/// Cells whose worker is gone: Running, with a heartbeat older than the lease (or, for the embedded owner restarting,
/// every Running cell of its sweep). Each is locked and re-checked, its attempt recorded as lost, and the cell queued
/// again as its next attempt (or cancelled, when its sweep was).
/// </summary>
public sealed class StaleLeases(ResultsDatabase database, StoreClock clock)
{
    /// <summary>
    /// Takes back cells Running whose worker stopped heartbeating before <paramref name="staleBefore"/> (or every Running
    /// cell of <paramref name="sweepId"/> when it is null: the embedded owner restarting) and queues them as their next
    /// attempt. Returns the cells to send.
    /// </summary>
    public Task<IReadOnlyList<QueuedCell>> ReclaimAsync(string? sweepId, DateTime? staleBefore, CancellationToken cancellationToken = default)
    {
        return database.WriteAsync<IReadOnlyList<QueuedCell>>(async (db, ct) =>
        {
            var stale = await FindAsync(db, sweepId, staleBefore, ct);
            var now = await clock.NowAsync(ct);
            var dispatch = new List<QueuedCell>();
            foreach (var lease in stale)
            {
                // On Postgres two reclaimers, or a reclaim and a completion in another process, can both have read this row
                // as Running: the lock re-checks it once the other transaction ends, and only one of them goes on. (Should
                // other writes batched with a reclaim deadlock with it, Postgres aborts one batch, which runs again.)
                if (await LockAsync(db, lease, staleBefore, ct) is not { } row)
                {
                    continue;
                }

                var silent = row.HeartbeatAt is { } last ? FormattableString.Invariant($"{(now - last).TotalSeconds:0.0} s") : "ever";
                var reason = staleBefore is null
                    ? $"the process that ran it on {row.Device} stopped (last heartbeat {row.HeartbeatAt:u})"
                    : $"worker lost: no heartbeat from {row.Device} for {silent}";
                await EndAttemptAsync(db, lease, row, AttemptOutcome.Lost, reason, now, ct);
                if (await RequeueOrCancelAsync(db, lease, row, now, reason, ct) is { } queued)
                {
                    dispatch.Add(queued);
                }
            }

            return dispatch;
        }, cancellationToken);
    }

    // The leases to take back, in key order (so two reclaimers lock rows in the same order).
    private static Task<List<TrialLease>> FindAsync(MseLabDbContext db, string? sweepId, DateTime? staleBefore, CancellationToken ct)
    {
        var running = db.Trials.AsNoTracking().Where(t => t.Status == TrialStatus.Running);
        if (sweepId is not null)
        {
            running = running.Where(t => t.SweepId == sweepId);
        }

        if (staleBefore is { } before)
        {
            running = running.Where(t => t.HeartbeatAt == null || t.HeartbeatAt < before);
        }

        return running.OrderBy(t => t.SweepId).ThenBy(t => t.Key).Select(t => new TrialLease(t.SweepId, t.Key, t.Attempt)).ToListAsync(ct);
    }
}
