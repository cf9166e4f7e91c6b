using System.Data.Common;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Store.Database;

/// <summary>
/// The statements that end an attempt which did not succeed, shared by <see cref="TrialLeases"/> (failure, hand-back,
/// cancel) and <see cref="StaleLeases"/> (a lost worker): lock the running row, write the attempt's history row, then
/// queue the cell again or end it. Statuses are stored by name.
/// </summary>
internal static class LeaseRows
{
    public const string Queued = nameof(TrialStatus.Queued);
    public const string Running = nameof(TrialStatus.Running);
    public const string Succeeded = nameof(TrialStatus.Succeeded);
    public const string Failed = nameof(TrialStatus.Failed);
    public const string Cancelled = nameof(TrialStatus.Cancelled);
    public const string Pruned = nameof(TrialStatus.Pruned);

    // Locks the running row of the lease (a no-op update: on Postgres it waits for, and re-checks after, any transaction
    // holding the row) and reads what ending the attempt needs. Null when the lease is no longer the cell's.
    public static async Task<LockedLease?> LockAsync(MseLabDbContext db, TrialLease lease, DateTime? staleBefore, CancellationToken ct)
    {
        // (Two statements rather than "{x} IS NULL OR ...": Postgres cannot type a NULL parameter that stands alone.)
        var rows = await (staleBefore is { } before
            ? db.QueryAsync($"""
                UPDATE trials SET "Attempt" = "Attempt"
                WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running}
                  AND ("HeartbeatAt" IS NULL OR "HeartbeatAt" < {before})
                RETURNING "Device", "StartedAt", "HeartbeatAt", "Failures", "MaxRetries", "Priority", "DeviceKind", "MemoryGb", "Backbone", "Dataset"
                """, LockedLease.Read, ct)
            : db.QueryAsync($"""
                UPDATE trials SET "Attempt" = "Attempt"
                WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running}
                RETURNING "Device", "StartedAt", "HeartbeatAt", "Failures", "MaxRetries", "Priority", "DeviceKind", "MemoryGb", "Backbone", "Dataset"
                """, LockedLease.Read, ct));
        if (rows.Count != 1)
        {
            return null;
        }

        var cancelled = await db.QueryAsync($"""SELECT "Cancelled" FROM sweeps WHERE "Id" = {lease.SweepId}""", r => r.GetBoolean(0), ct);
        return rows[0] with { SweepCancelled = cancelled is [true] };
    }

    // The history row of the attempt that is ending (the cell's row keeps only its latest attempt).
    public static Task<int> EndAttemptAsync(MseLabDbContext db, TrialLease lease, LockedLease row, AttemptOutcome outcome, string reason, DateTime now, CancellationToken ct)
    {
        var name = outcome.ToString();
        return db.ExecuteAsync($"""
            INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome", "Reason")
            VALUES ({lease.SweepId}, {lease.Key}, {lease.Attempt}, {row.Device}, {row.StartedAt}, {now}, {name}, {reason})
            """, ct);
    }

    // A cell of a cancelled sweep is not queued again until the sweep is resubmitted; it ends as cancelled instead.
    public static async Task<QueuedCell?> RequeueOrCancelAsync(MseLabDbContext db, TrialLease lease, LockedLease row, DateTime now, string reason, CancellationToken ct)
    {
        if (row.SweepCancelled)
        {
            await EndCancelledAsync(db, lease, now, ct);
            return null;
        }

        return await RequeueAsync(db, lease, row, now, row.Failures, reason, notBefore: null, ct);
    }

    public static Task<int> EndCancelledAsync(MseLabDbContext db, TrialLease lease, DateTime now, CancellationToken ct) =>
        db.ExecuteAsync($"""
            UPDATE trials SET "Status" = {Cancelled}, "FinishedAt" = {now}, "HeartbeatAt" = {now}
            WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt}
            """, ct);

    // The next attempt, flagged until its message is known to be sent (the dispatch outbox): the lease sweeper sends it
    // again if this process dies, or the broker is down, in between.
    public static async Task<QueuedCell> RequeueAsync(
        MseLabDbContext db, TrialLease lease, LockedLease row, DateTime now, int failures, string error, DateTime? notBefore, CancellationToken ct)
    {
        var next = lease with { Attempt = lease.Attempt + 1 };
        await db.ExecuteAsync($"""
            UPDATE trials SET "Status" = {Queued}, "Attempt" = {next.Attempt}, "Failures" = {failures}, "Error" = {error}, "DispatchPending" = TRUE,
                "NotBefore" = {notBefore}, "QueuedAt" = {now}, "HeartbeatAt" = {now}, "StartedAt" = NULL, "FinishedAt" = NULL
            WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt}
            """, ct);
        return new QueuedCell(next, row.Priority, row.DeviceKind, row.MemoryGb, notBefore, row.Backbone, row.Dataset);
    }

    public sealed record LockedLease(
        string? Device, DateTime? StartedAt, DateTime? HeartbeatAt, int Failures, int MaxRetries, int Priority, string DeviceKind, double MemoryGb,
        string Backbone, string Dataset, bool SweepCancelled)
    {
        // The columns of LockAsync's RETURNING, in order; whether the sweep is cancelled is read after.
        public static LockedLease Read(DbDataReader r) => new(
            r.NullableString(0), r.Nullable<DateTime>(1), r.Nullable<DateTime>(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetString(6),
            r.GetDouble(7), r.GetString(8), r.GetString(9), SweepCancelled: false);
    }
}
