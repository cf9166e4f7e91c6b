using System.Data.Common;
using MseLab.Store.Database;
using MseLab.Store.Records;
using static MseLab.Store.Database.LeaseRows;

namespace MseLab.Store;

/// <summary>
/// The lifecycle of a running cell: claim, heartbeat, epochs, and how the attempt ends (success, failure and retry,
/// hand-back, cancel; a lost worker's cells are <see cref="StaleLeases"/>'). Every step is a guarded statement on the cell's row (sweep, key, attempt,
/// Running), SQL shared by SQLite and Postgres: a stale or duplicated message, or a worker presumed dead that wakes up,
/// changes nothing.
/// </summary>
public sealed class TrialLeases(ResultsDatabase database, StoreClock clock)
{
    /// <summary>Infrastructure faults are retried after 2, 4, 8 ... seconds (at most a minute).</summary>
    public static TimeSpan RetryBackoff(int failures) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Max(1, failures))));

    /// <summary>Claims the cell for <paramref name="lease"/> on <paramref name="device"/>; null when the lease is stale, a duplicate, or the sweep was cancelled.</summary>
    public Task<ClaimedTrial?> TryClaimAsync(TrialLease lease, string device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            var claim = await db.QueryAsync($"""
                UPDATE trials SET "Status" = {Running}, "Device" = {device}, "StartedAt" = {now}, "HeartbeatAt" = {now}, "Error" = NULL
                WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Queued}
                  AND NOT EXISTS (SELECT 1 FROM sweeps WHERE sweeps."Id" = trials."SweepId" AND sweeps."Cancelled")
                RETURNING "RunConfig", "Backbone", "Dataset"
                """, Claim.Read, ct);
            return claim is [var c] ? new ClaimedTrial(lease, c.RunConfig, c.Backbone, c.Dataset) : null;
        }, cancellationToken);
    }

    /// <summary>The claim <paramref name="device"/> holds with <paramref name="lease"/>, if the store still has it running there.</summary>
    public async Task<ClaimedTrial?> ClaimedByAsync(TrialLease lease, string device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var db = database.CreateContext();
        var claim = await db.QueryAsync($"""
            SELECT "RunConfig", "Backbone", "Dataset" FROM trials
            WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running} AND "Device" = {device}
            """, Claim.Read, cancellationToken);
        return claim is [var c] ? new ClaimedTrial(lease, c.RunConfig, c.Backbone, c.Dataset) : null;
    }

    /// <summary>Records liveness and progress, and tells the worker whether to go on.</summary>
    public Task<HeartbeatReply> HeartbeatAsync(TrialLease lease, int epoch, double? loss, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            var updated = await db.ExecuteAsync($"""
                UPDATE trials SET "HeartbeatAt" = {now}, "Epoch" = {epoch}, "TrainLoss" = {loss}
                WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running}
                  AND NOT EXISTS (SELECT 1 FROM sweeps WHERE sweeps."Id" = trials."SweepId" AND sweeps."Cancelled")
                """, ct);
            if (updated == 1)
            {
                return HeartbeatReply.Continue;
            }

            var cancelled = await db.QueryAsync($"""SELECT "Cancelled" FROM sweeps WHERE "Id" = {lease.SweepId}""", r => r.GetBoolean(0), ct);
            if (cancelled is [true])
            {
                return HeartbeatReply.SweepCancelled;
            }

            // A heartbeat that crosses the epoch record which pruned this attempt: not a lost worker.
            var pruned = await db.QueryAsync(
                $"""SELECT 1 FROM trials WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Pruned}""",
                r => r.GetInt32(0), ct);
            return pruned.Count == 1 ? HeartbeatReply.Pruned : HeartbeatReply.Lost;
        }, cancellationToken);
    }

    /// <summary>Stores a finished epoch and the checkpoints written after it; false when the attempt lost the cell (or the sweep's early-stopping rule stopped it there).</summary>
    public async Task<bool> RecordEpochAsync(TrialLease lease, EpochReport epoch, IReadOnlyList<CheckpointBlob> checkpoints, CancellationToken cancellationToken = default) =>
        (await ReportEpochAsync(lease, epoch, checkpoints, cancellationToken)).Decision == EpochDecision.Continue;

    /// <summary>
    /// Stores a finished epoch and the checkpoints written after it, then applies the sweep's early-stopping rule when the
    /// epoch is a rung (in the same transaction): the verdict says whether to go on, and which cells of other seed groups
    /// it promoted (queued again, to be sent).
    /// </summary>
    public Task<EpochVerdict> ReportEpochAsync(TrialLease lease, EpochReport epoch, IReadOnlyList<CheckpointBlob> checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(checkpoints);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            var owned = await db.ExecuteAsync($"""
                UPDATE trials SET "HeartbeatAt" = {now}, "Epoch" = {epoch.Epoch}, "TrainLoss" = {epoch.TrainLoss}
                WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running}
                """, ct);
            if (owned == 0)
            {
                return EpochVerdict.Lost;
            }

            var validation = MetricJson.Write(epoch.Validation);
            await db.ExecuteAsync($"""
                INSERT INTO epochs ("SweepId", "TrialKey", "Epoch", "Attempt", "TrainLoss", "LearningRate", "Validation", "Seconds", "SamplesPerSecond")
                VALUES ({lease.SweepId}, {lease.Key}, {epoch.Epoch}, {lease.Attempt}, {epoch.TrainLoss}, {epoch.LearningRate}, {validation}, {epoch.Seconds}, {epoch.SamplesPerSecond})
                ON CONFLICT ("SweepId", "TrialKey", "Epoch") DO UPDATE SET "Attempt" = excluded."Attempt", "TrainLoss" = excluded."TrainLoss",
                    "LearningRate" = excluded."LearningRate", "Validation" = excluded."Validation", "Seconds" = excluded."Seconds",
                    "SamplesPerSecond" = excluded."SamplesPerSecond"
                """, ct);
            foreach (var blob in checkpoints)
            {
                var kind = blob.Kind.ToString();
                await db.ExecuteAsync($"""
                    INSERT INTO checkpoints ("SweepId", "TrialKey", "Kind", "Epoch", "Sha256", "Content", "UpdatedAt")
                    VALUES ({lease.SweepId}, {lease.Key}, {kind}, {blob.Epoch}, {blob.Sha256}, {blob.Content}, {now})
                    ON CONFLICT ("SweepId", "TrialKey", "Kind") DO UPDATE SET "Epoch" = excluded."Epoch", "Sha256" = excluded."Sha256",
                        "Content" = excluded."Content", "UpdatedAt" = excluded."UpdatedAt"
                    """, ct);
            }

            return await RungStops.DecideAsync(db, database.Provider, lease, epoch.Epoch, now, ct);
        }, cancellationToken);
    }

    /// <summary>Marks the attempt succeeded with its test metrics and provenance; false when it no longer owns the cell.</summary>
    public Task<bool> CompleteAsync(TrialLease lease, TrialOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            if (database.Provider == StoreProvider.Postgres)
            {
                // One statement, one round trip: the guarded update feeds the inserts, which add nothing when it matched no row.
                return await db.QueryAsync(CompletionSql.Postgres(lease, now, outcome), r => r.GetInt64(0), ct) is [1];
            }

            var owned = await db.ExecuteAsync($"""
                UPDATE trials SET "Status" = {Succeeded}, "FinishedAt" = {now}, "HeartbeatAt" = {now}, "BestEpoch" = {outcome.BestEpoch},
                    "BestValidation" = {outcome.BestValidation}, "StoppedBy" = {outcome.StoppedBy}, "Seconds" = {outcome.Seconds}
                WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running}
                """, ct);
            if (owned == 0)
            {
                return false;
            }

            // A cell succeeds once (a succeeded cell is never queued again), so there are no earlier rows to replace.
            await db.ExecuteAsync(CompletionSql.SqliteInserts(lease, now, outcome), ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Ends a failed attempt. A <see cref="FailureClass.Transient"/> failure within the retry limit is queued again as the
    /// next attempt after a backoff (returned, to be sent); otherwise the cell is Failed with <paramref name="error"/>.
    /// </summary>
    public Task<QueuedCell?> FailAsync(TrialLease lease, string error, FailureClass failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(async (db, ct) =>
        {
            if (await LockAsync(db, lease, staleBefore: null, ct) is not { } row)
            {
                return null;
            }

            var now = await clock.NowAsync(ct);
            var failures = row.Failures + 1;
            var retry = failure == FailureClass.Transient && failures <= row.MaxRetries && !row.SweepCancelled;
            var why = retry || failure == FailureClass.Permanent || row.SweepCancelled ? error : $"{error} (retry limit of {row.MaxRetries} reached)";
            await EndAttemptAsync(db, lease, row, retry ? AttemptOutcome.Retried : AttemptOutcome.Failed, why, now, ct);
            if (!retry)
            {
                await db.ExecuteAsync($"""
                    UPDATE trials SET "Status" = {Failed}, "Failures" = {failures}, "Error" = {error}, "HeartbeatAt" = {now}, "FinishedAt" = {now}
                    WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt}
                    """, ct);
                await RungStops.ReconsiderAsync(db, database.Provider, lease.SweepId, lease.Key, now, ct);
                return null;
            }

            return await RequeueAsync(db, lease, row, now, failures, error, notBefore: now + RetryBackoff(failures), ct);
        }, cancellationToken);
    }

    /// <summary>Puts an interrupted attempt (its worker stopping) back in the queue as the next attempt; its checkpoints stay.</summary>
    public Task<QueuedCell?> ReleaseAsync(TrialLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(async (db, ct) =>
        {
            if (await LockAsync(db, lease, staleBefore: null, ct) is not { } row)
            {
                return null;
            }

            var now = await clock.NowAsync(ct);
            await EndAttemptAsync(db, lease, row, AttemptOutcome.HandedBack, $"{row.Device} stopped (drain or shutdown) after a checkpoint", now, ct);
            return await RequeueOrCancelAsync(db, lease, row, now, "interrupted: the worker stopped; resumes from its latest checkpoint", ct);
        }, cancellationToken);
    }

    /// <summary>Marks a running attempt cancelled (its latest checkpoint is kept; a later submission resumes it).</summary>
    public Task<bool> MarkCancelledAsync(TrialLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(async (db, ct) =>
        {
            if (await LockAsync(db, lease, staleBefore: null, ct) is not { } row)
            {
                return false;
            }

            var now = await clock.NowAsync(ct);
            await EndAttemptAsync(db, lease, row, AttemptOutcome.Cancelled, "the sweep was cancelled", now, ct);
            await EndCancelledAsync(db, lease, now, ct);
            return true;
        }, cancellationToken);
    }

    private sealed record Claim(string RunConfig, string Backbone, string Dataset)
    {
        public static Claim Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));
    }
}
