using System.Data.Common;
using MseLab.Experiments.Trials;
using MseLab.Store.Database;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>
/// The lifecycle of a running cell: claim, heartbeat, epochs, and how the attempt ends (success, failure and retry,
/// hand-back, cancel, loss of the lease). Every step is a guarded statement on the cell's row (sweep, key, attempt,
/// Running), SQL shared by SQLite and Postgres: a stale or duplicated message, or a worker presumed dead that wakes up,
/// changes nothing.
/// </summary>
public sealed class TrialLeases(ResultsDatabase database, TimeProvider time)
{
    private static readonly string Queued = nameof(TrialStatus.Queued);
    private static readonly string Running = nameof(TrialStatus.Running);
    private static readonly string Succeeded = nameof(TrialStatus.Succeeded);
    private static readonly string Failed = nameof(TrialStatus.Failed);
    private static readonly string Cancelled = nameof(TrialStatus.Cancelled);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Infrastructure faults are retried after 2, 4, 8 ... seconds (at most a minute).</summary>
    public static TimeSpan RetryBackoff(int failures) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Max(1, failures))));

    /// <summary>Claims the cell for <paramref name="lease"/> on <paramref name="device"/>; null when the lease is stale, a duplicate, or the sweep was cancelled.</summary>
    public Task<ClaimedTrial?> TryClaimAsync(TrialLease lease, string device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
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
            var now = Now;
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
            return cancelled is [true] ? HeartbeatReply.SweepCancelled : HeartbeatReply.Lost;
        }, cancellationToken);
    }

    /// <summary>Stores a finished epoch and the checkpoints written after it; false when the attempt lost the cell.</summary>
    public Task<bool> RecordEpochAsync(TrialLease lease, EpochReport epoch, IReadOnlyList<CheckpointBlob> checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(checkpoints);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            var owned = await db.ExecuteAsync($"""
                UPDATE trials SET "HeartbeatAt" = {now}, "Epoch" = {epoch.Epoch}, "TrainLoss" = {epoch.TrainLoss}
                WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt} AND "Status" = {Running}
                """, ct);
            if (owned == 0)
            {
                return false;
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

            return true;
        }, cancellationToken);
    }

    /// <summary>Marks the attempt succeeded with its test metrics and provenance; false when it no longer owns the cell.</summary>
    public Task<bool> CompleteAsync(TrialLease lease, TrialOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            if (database.Provider == StoreProvider.Postgres)
            {
                // One statement, one round trip: the guarded update feeds the inserts, which add nothing when it matched no row.
                return await db.QueryAsync(SucceededSql(lease, now, outcome, completion: true), r => r.GetInt64(0), ct) is [1];
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
            await db.ExecuteAsync(SucceededSql(lease, now, outcome, completion: false), ct);
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

            var now = Now;
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

            var now = Now;
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

            var now = Now;
            await EndAttemptAsync(db, lease, row, AttemptOutcome.Cancelled, "the sweep was cancelled", now, ct);
            await EndCancelledAsync(db, lease, now, ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Takes back cells Running whose worker stopped heartbeating before <paramref name="staleBefore"/> (or every Running
    /// cell of <paramref name="sweepId"/> when it is null: the embedded owner restarting) and queues them as their next
    /// attempt. Returns the cells to send.
    /// </summary>
    public Task<IReadOnlyList<QueuedCell>> ReclaimAsync(string? sweepId, DateTime? staleBefore, CancellationToken cancellationToken = default)
    {
        return database.WriteAsync<IReadOnlyList<QueuedCell>>(async (db, ct) =>
        {
            var stale = await StaleLeasesAsync(db, sweepId, staleBefore, ct);
            var now = Now;
            var dispatch = new List<QueuedCell>();
            foreach (var (sweep, key, attempt) in stale)
            {
                // On Postgres two reclaimers, or a reclaim and a completion in another process, can both have read this row
                // as Running: the lock re-checks it once the other transaction ends (in key order, so reclaimers cannot
                // deadlock), and only one of them goes on.
                var lease = new TrialLease(sweep, key, attempt);
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

    // Locks the running row of the lease (a no-op update: on Postgres it waits for, and re-checks after, any transaction
    // holding the row) and reads what ending the attempt needs. Null when the lease is no longer the cell's.
    private static async Task<LockedLease?> LockAsync(MseLabDbContext db, TrialLease lease, DateTime? staleBefore, CancellationToken ct)
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
    private static Task<int> EndAttemptAsync(MseLabDbContext db, TrialLease lease, LockedLease row, AttemptOutcome outcome, string reason, DateTime now, CancellationToken ct)
    {
        var name = outcome.ToString();
        return db.ExecuteAsync($"""
            INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome", "Reason")
            VALUES ({lease.SweepId}, {lease.Key}, {lease.Attempt}, {row.Device}, {row.StartedAt}, {now}, {name}, {reason})
            """, ct);
    }

    // A cell of a cancelled sweep is not queued again until the sweep is resubmitted; it ends as cancelled instead.
    private static async Task<QueuedCell?> RequeueOrCancelAsync(MseLabDbContext db, TrialLease lease, LockedLease row, DateTime now, string reason, CancellationToken ct)
    {
        if (row.SweepCancelled)
        {
            await EndCancelledAsync(db, lease, now, ct);
            return null;
        }

        return await RequeueAsync(db, lease, row, now, row.Failures, reason, notBefore: null, ct);
    }

    private static Task<int> EndCancelledAsync(MseLabDbContext db, TrialLease lease, DateTime now, CancellationToken ct) =>
        db.ExecuteAsync($"""
            UPDATE trials SET "Status" = {Cancelled}, "FinishedAt" = {now}, "HeartbeatAt" = {now}
            WHERE "SweepId" = {lease.SweepId} AND "Key" = {lease.Key} AND "Attempt" = {lease.Attempt}
            """, ct);

    // The next attempt, flagged until its message is known to be sent (the dispatch outbox): the lease sweeper sends it
    // again if this process dies, or the broker is down, in between.
    private static async Task<QueuedCell> RequeueAsync(
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

    // The cells Running whose heartbeat is older than staleBefore (every Running cell when null), of one sweep or all.
    private static Task<List<StaleLease>> StaleLeasesAsync(MseLabDbContext db, string? sweepId, DateTime? staleBefore, CancellationToken ct) => (sweepId, staleBefore) switch
    {
        (null, null) => db.QueryAsync($"""
            SELECT "SweepId", "Key", "Attempt" FROM trials WHERE "Status" = {Running} ORDER BY "SweepId", "Key"
            """, StaleLease.Read, ct),
        ({ } sweep, null) => db.QueryAsync($"""
            SELECT "SweepId", "Key", "Attempt" FROM trials WHERE "Status" = {Running} AND "SweepId" = {sweep} ORDER BY "SweepId", "Key"
            """, StaleLease.Read, ct),
        (null, { } before) => db.QueryAsync($"""
            SELECT "SweepId", "Key", "Attempt" FROM trials WHERE "Status" = {Running} AND ("HeartbeatAt" IS NULL OR "HeartbeatAt" < {before})
            ORDER BY "SweepId", "Key"
            """, StaleLease.Read, ct),
        ({ } sweep, { } before) => db.QueryAsync($"""
            SELECT "SweepId", "Key", "Attempt" FROM trials WHERE "Status" = {Running} AND "SweepId" = {sweep}
              AND ("HeartbeatAt" IS NULL OR "HeartbeatAt" < {before})
            ORDER BY "SweepId", "Key"
            """, StaleLease.Read, ct),
    };

    // What a completion adds to the cell's row marked Succeeded: the attempt's history row, the provenance and one row per
    // test metric (NaN, an undefined metric, is stored as NULL: SQLite has no NaN). With completion (Postgres), one
    // statement whose first part is the guarded update of the row (its RETURNING feeds the inserts) and that returns
    // the rows it updated; without (SQLite has no writes in WITH), the inserts alone, after the update.
    private static FormattableString SucceededSql(TrialLease lease, DateTime now, TrialOutcome outcome, bool completion)
    {
        var p = outcome.Provenance;
        List<object?> values = [now, nameof(AttemptOutcome.Succeeded), lease.SweepId, lease.Key, lease.Attempt,
            p.GitCommit, p.GitDirty, p.Host, p.TorchSharpVersion, p.LibTorchVersion, p.Device, p.DatasetHash, p.TrainableParameters, p.BackboneParameters,
            Running, Succeeded, outcome.BestEpoch, outcome.BestValidation, outcome.StoppedBy, outcome.Seconds];
        var metrics = string.Join(", ", outcome.Test.Select(m =>
        {
            values.Add(m.Key);
            values.Add(double.IsNaN(m.Value) ? null : m.Value);
            var (name, value) = (values.Count - 2, values.Count - 1);
            return completion
                ? FormattableString.Invariant($"({{{name}}}, CAST({{{value}}} AS double precision))")   // a NULL alone has no type
                : FormattableString.Invariant($"({{2}}, {{3}}, {{{name}}}, {{{value}}})");
        }));
        const string Row = """WHERE "SweepId" = {2} AND "Key" = {3} AND "Attempt" = {4}""";
        var sql = new System.Text.StringBuilder();
        if (completion)
        {
            sql.Append($$"""
                WITH done AS (
                    UPDATE trials SET "Status" = {15}, "FinishedAt" = {0}, "HeartbeatAt" = {0}, "BestEpoch" = {16}, "BestValidation" = {17},
                        "StoppedBy" = {18}, "Seconds" = {19}
                    {{Row}} AND "Status" = {14}
                    RETURNING "SweepId", "Key", "Attempt", "Device", "StartedAt"),
                history AS (
                    INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome", "Reason")
                    SELECT "SweepId", "Key", "Attempt", "Device", "StartedAt", {0}, {1}, NULL FROM done),
                origin AS (
                    INSERT INTO provenance ("SweepId", "TrialKey", "GitCommit", "GitDirty", "Host", "TorchSharpVersion", "LibTorchVersion", "Device",
                        "DatasetHash", "TrainableParameters", "BackboneParameters")
                    SELECT "SweepId", "Key", {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13} FROM done)
                """);
            if (metrics.Length > 0)
            {
                sql.Append($$"""
                    , measured AS (
                        INSERT INTO test_metrics ("SweepId", "TrialKey", "Name", "Value")
                        SELECT done."SweepId", done."Key", m.name, m.value FROM done CROSS JOIN (VALUES {{metrics}}) AS m(name, value))
                    """);
            }

            sql.Append("\nSELECT count(*) FROM done;");
        }
        else
        {
            sql.Append($$"""
                INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome", "Reason")
                SELECT "SweepId", "Key", "Attempt", "Device", "StartedAt", {0}, {1}, NULL FROM trials {{Row}};
                INSERT INTO provenance ("SweepId", "TrialKey", "GitCommit", "GitDirty", "Host", "TorchSharpVersion", "LibTorchVersion", "Device",
                    "DatasetHash", "TrainableParameters", "BackboneParameters")
                VALUES ({2}, {3}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13});
                """);
            if (metrics.Length > 0)
            {
                sql.Append($$"""INSERT INTO test_metrics ("SweepId", "TrialKey", "Name", "Value") VALUES {{metrics}};""");
            }
        }

        return System.Runtime.CompilerServices.FormattableStringFactory.Create(sql.ToString(), [.. values]);
    }

    private sealed record Claim(string RunConfig, string Backbone, string Dataset)
    {
        public static Claim Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));
    }

    private sealed record StaleLease(string SweepId, string Key, int Attempt)
    {
        public static StaleLease Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt32(2));
    }

    private sealed record LockedLease(
        string? Device, DateTime? StartedAt, DateTime? HeartbeatAt, int Failures, int MaxRetries, int Priority, string DeviceKind, double MemoryGb,
        string Backbone, string Dataset, bool SweepCancelled)
    {
        // The columns of LockAsync's RETURNING, in order; whether the sweep is cancelled is read after.
        public static LockedLease Read(DbDataReader r) => new(
            r.NullableString(0), r.Nullable<DateTime>(1), r.Nullable<DateTime>(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetString(6),
            r.GetDouble(7), r.GetString(8), r.GetString(9), SweepCancelled: false);
    }
}
