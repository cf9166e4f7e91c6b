using Microsoft.EntityFrameworkCore;
using MseLab.Contracts;
using MseLab.Data.Entities;
using MseLab.Data.Records;

namespace MseLab.Data;

/// <summary>
/// The trial lifecycle in the store. Every write after the claim is guarded by (sweep, key, attempt, Running), so a
/// stale or duplicated message, or a worker presumed dead that wakes up, can never overwrite a newer attempt or add a
/// second result.
/// </summary>
public sealed partial class ResultsStore(ResultsDatabase database, TimeProvider time)
{
    public ResultsDatabase Database { get; } = database;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Claims the cell for this attempt; null when the message is stale, a duplicate, or the sweep was cancelled.</summary>
    public async Task<ClaimedTrial?> TryClaimAsync(RunTrial message, string device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            // The hot path of every dispatch: one guarded UPDATE that also returns the configuration (SQL shared by SQLite and
            // Postgres; EF's LINQ form costs two statements and several times the CPU).
            var config = await db.Database.SqlQuery<string>($"""
                UPDATE trials SET "Status" = {Running}, "Device" = {device}, "StartedAt" = {now}, "HeartbeatAt" = {now}, "Error" = NULL
                WHERE "SweepId" = {message.SweepId} AND "Key" = {message.TrialKey} AND "Attempt" = {message.Attempt} AND "Status" = {Queued}
                  AND NOT EXISTS (SELECT 1 FROM sweeps WHERE sweeps."Id" = trials."SweepId" AND sweeps."Cancelled")
                RETURNING "RunConfig" AS "Value"
                """).ToListAsync(ct);
            return config.Count == 1 ? new ClaimedTrial(message.SweepId, message.TrialKey, message.Attempt, config[0]) : null;
        }, cancellationToken);
    }

    /// <summary>The claim <paramref name="device"/> holds on (sweep, key, attempt), if the store still has it running there.</summary>
    public async Task<ClaimedTrial?> ClaimedByAsync(string sweepId, string key, int attempt, string device, CancellationToken cancellationToken = default)
    {
        await using var db = Database.CreateContext();
        var config = await db.Trials.AsNoTracking()
            .Where(t => t.SweepId == sweepId && t.Key == key && t.Attempt == attempt && t.Status == TrialStatus.Running && t.Device == device)
            .Select(t => t.RunConfig)
            .ToListAsync(cancellationToken);
        return config.Count == 1 ? new ClaimedTrial(sweepId, key, attempt, config[0]) : null;
    }

    /// <summary>Records liveness and progress, and tells the worker whether to go on.</summary>
    public async Task<HeartbeatReply> HeartbeatAsync(string sweepId, string key, int attempt, int epoch, double? loss, CancellationToken cancellationToken = default)
    {
        return await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            var updated = await db.Database.ExecuteSqlAsync($"""
                UPDATE trials SET "HeartbeatAt" = {now}, "Epoch" = {epoch}, "TrainLoss" = {loss}
                WHERE "SweepId" = {sweepId} AND "Key" = {key} AND "Attempt" = {attempt} AND "Status" = {Running}
                  AND NOT EXISTS (SELECT 1 FROM sweeps WHERE sweeps."Id" = trials."SweepId" AND sweeps."Cancelled")
                """, ct);
            if (updated == 1)
            {
                return HeartbeatReply.Continue;
            }

            var cancelled = await db.Sweeps.AnyAsync(s => s.Id == sweepId && s.Cancelled, ct);
            return cancelled ? HeartbeatReply.SweepCancelled : HeartbeatReply.Lost;
        }, cancellationToken);
    }

    /// <summary>Puts an interrupted attempt (worker shutting down) back in the queue as the next attempt; its checkpoints stay.</summary>
    public async Task<RunTrial?> ReleaseAsync(string sweepId, string key, int attempt, CancellationToken cancellationToken = default)
    {
        return await Database.WriteAsync(async (db, ct) =>
        {
            var trial = await Owned(db, sweepId, key, attempt).Include(t => t.Sweep).SingleOrDefaultAsync(ct);
            if (trial is null)
            {
                return null;
            }

            var now = Now;
            EndAttempt(db, trial, AttemptOutcome.HandedBack, $"{trial.Device} stopped (drain or shutdown) after a checkpoint", now);
            if (CancelIfSweepCancelled(trial, now))
            {
                await db.SaveChangesAsync(ct);
                return null;
            }

            Requeue(trial, now, resetFailures: false);
            trial.Error = "interrupted: the worker stopped; resumes from its latest checkpoint";
            await db.SaveChangesAsync(ct);
            return Message(trial, DeviceKindOf(trial));
        }, cancellationToken);
    }

    /// <summary>Stores a finished epoch and the checkpoints written after it; false when the attempt lost the cell.</summary>
    public async Task<bool> RecordEpochAsync(string sweepId, string key, int attempt, EpochReport epoch, IReadOnlyList<CheckpointBlob> checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(checkpoints);
        return await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            var owned = await Owned(db, sweepId, key, attempt).ExecuteUpdateAsync(
                set => set.SetProperty(t => t.HeartbeatAt, now).SetProperty(t => t.Epoch, epoch.Epoch).SetProperty(t => t.TrainLoss, epoch.TrainLoss),
                ct);
            if (owned == 0)
            {
                return false;
            }

            var row = await db.Epochs.FindAsync([sweepId, key, epoch.Epoch], ct);
            if (row is null)
            {
                row = new EpochEntity { SweepId = sweepId, TrialKey = key, Epoch = epoch.Epoch, Validation = "" };
                db.Epochs.Add(row);
            }

            row.Attempt = attempt;
            row.TrainLoss = epoch.TrainLoss;
            row.LearningRate = epoch.LearningRate;
            row.Validation = MetricJson.Write(epoch.Validation);
            row.Seconds = epoch.Seconds;
            row.SamplesPerSecond = epoch.SamplesPerSecond;
            foreach (var blob in checkpoints)
            {
                await UpsertCheckpointAsync(db, sweepId, key, blob, now, ct);
            }

            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>Marks the attempt succeeded with its test metrics and provenance; false when it no longer owns the cell.</summary>
    public async Task<bool> CompleteAsync(string sweepId, string key, int attempt, TrialOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome")
                SELECT "SweepId", "Key", "Attempt", "Device", "StartedAt", {now}, {AttemptOutcome.Succeeded} FROM trials
                WHERE "SweepId" = {sweepId} AND "Key" = {key} AND "Attempt" = {attempt} AND "Status" = {Running}
                """, ct);
            var owned = await db.Database.ExecuteSqlAsync($"""
                UPDATE trials SET "Status" = {Succeeded}, "FinishedAt" = {now}, "HeartbeatAt" = {now}, "BestEpoch" = {outcome.BestEpoch},
                    "BestValidation" = {outcome.BestValidation}, "StoppedBy" = {outcome.StoppedBy}, "Seconds" = {outcome.Seconds}
                WHERE "SweepId" = {sweepId} AND "Key" = {key} AND "Attempt" = {attempt} AND "Status" = {Running}
                """, ct);
            if (owned == 0)
            {
                return false;
            }

            // A cell succeeds once (a succeeded cell is never queued again), so there are no earlier rows to replace.
            db.TestMetrics.AddRange(outcome.Test.Select(m => new TestMetricEntity { SweepId = sweepId, TrialKey = key, Name = m.Key, Value = double.IsNaN(m.Value) ? null : m.Value }));
            var p = outcome.Provenance;
            db.Provenance.Add(new ProvenanceEntity
            {
                SweepId = sweepId,
                TrialKey = key,
                GitCommit = p.GitCommit,
                GitDirty = p.GitDirty,
                Host = p.Host,
                TorchSharpVersion = p.TorchSharpVersion,
                LibTorchVersion = p.LibTorchVersion,
                Device = p.Device,
                DatasetHash = p.DatasetHash,
                TrainableParameters = p.TrainableParameters,
                BackboneParameters = p.BackboneParameters,
            });
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Ends a failed attempt. A <paramref name="retryable"/> failure within the retry limit is requeued as the next attempt
    /// (the message to send is returned); otherwise the cell is Failed with <paramref name="error"/>.
    /// </summary>
    public async Task<RunTrial?> FailAsync(string sweepId, string key, int attempt, string error, bool retryable, CancellationToken cancellationToken = default)
    {
        return await Database.WriteAsync(async (db, ct) =>
        {
            var trial = await Owned(db, sweepId, key, attempt).Include(t => t.Sweep).SingleOrDefaultAsync(ct);
            if (trial is null)
            {
                return null;
            }

            var now = Now;
            trial.Failures++;
            trial.Error = error;
            trial.HeartbeatAt = now;
            RunTrial? retry = null;
            if (retryable && trial.Failures <= trial.MaxRetries && trial.Sweep?.Cancelled != true)
            {
                EndAttempt(db, trial, AttemptOutcome.Retried, error, now);
                Requeue(trial, now, resetFailures: false);
                trial.NotBefore = now + RetryBackoff(trial.Failures);
                retry = Message(trial, DeviceKindOf(trial));
            }
            else
            {
                var why = !retryable ? error
                    : trial.Sweep?.Cancelled == true ? error
                    : $"{error} (retry limit of {trial.MaxRetries} reached)";
                EndAttempt(db, trial, AttemptOutcome.Failed, why, now);
                trial.Status = TrialStatus.Failed;
                trial.FinishedAt = now;
            }

            await db.SaveChangesAsync(ct);
            return retry;
        }, cancellationToken);
    }

    /// <summary>Marks a running attempt cancelled (its latest checkpoint is kept; a later submission resumes it).</summary>
    public async Task<bool> MarkCancelledAsync(string sweepId, string key, int attempt, CancellationToken cancellationToken = default)
    {
        return await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            var trial = await Owned(db, sweepId, key, attempt).AsNoTracking().SingleOrDefaultAsync(ct);
            if (trial is null)
            {
                return false;
            }

            EndAttempt(db, trial, AttemptOutcome.Cancelled, "the sweep was cancelled", now);
            await db.SaveChangesAsync(ct);
            return await Owned(db, sweepId, key, attempt).ExecuteUpdateAsync(
                set => set.SetProperty(t => t.Status, TrialStatus.Cancelled).SetProperty(t => t.FinishedAt, now).SetProperty(t => t.HeartbeatAt, now),
                ct) == 1;
        }, cancellationToken);
    }

    /// <summary>The checkpoint of a cell of the given kind, or null.</summary>
    public async Task<CheckpointBlob?> GetCheckpointAsync(string sweepId, string key, string kind, CancellationToken cancellationToken = default)
    {
        await using var db = Database.CreateContext();
        var row = await db.Checkpoints.AsNoTracking().SingleOrDefaultAsync(c => c.SweepId == sweepId && c.TrialKey == key && c.Kind == kind, cancellationToken);
        return row is null ? null : new CheckpointBlob(row.Kind, row.Epoch, row.Sha256, row.Content);
    }
}
