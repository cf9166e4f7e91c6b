using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MseLab.Contracts;
using MseLab.Data.Entities;
using MseLab.Data.Records;

namespace MseLab.Data;

/// <summary>Sweep-level writes: submission (dedupe, edits, reruns), reclaiming silent cells, cancellation.</summary>
public sealed partial class ResultsStore
{
    /// <summary>
    /// Stores a sweep and decides what to queue: new cells, cells whose earlier run stopped (cancelled, or queued but
    /// never finished) and, with <paramref name="rerunFailed"/>, failed cells. Finished cells are never queued again.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(SweepSubmission submission, bool rerunFailed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            var sweep = await db.Sweeps.FindAsync([submission.Id], ct);
            if (sweep is null)
            {
                sweep = new SweepEntity { Id = submission.Id, File = submission.File, Definition = submission.Definition, CreatedAt = now };
                db.Sweeps.Add(sweep);
            }

            sweep.File = submission.File;
            sweep.Definition = submission.Definition;
            sweep.Cancelled = false;
            sweep.UpdatedAt = now;

            var existing = await db.Trials.Where(t => t.SweepId == submission.Id).ToDictionaryAsync(t => t.Key, StringComparer.Ordinal, ct);
            int added = 0, requeued = 0, done = 0, queued = 0;
            var dispatch = new List<RunTrial>();
            var fresh = new List<TrialEntity>();
            foreach (var cell in submission.Cells)
            {
                if (!existing.TryGetValue(cell.Key, out var trial))
                {
                    trial = NewTrial(submission, cell, now);
                    fresh.Add(trial);
                    added++;
                    dispatch.Add(Message(trial, submission.DeviceKind));
                    continue;
                }

                trial.MaxRetries = submission.Retries;
                trial.Priority = submission.Priority;
                trial.MemoryGb = submission.MemoryGb;
                switch (trial.Status)
                {
                    case TrialStatus.Succeeded:
                    case TrialStatus.Failed when !rerunFailed:
                    case TrialStatus.Running:
                        done += trial.Status == TrialStatus.Running ? 0 : 1;
                        queued += trial.Status == TrialStatus.Running ? 1 : 0;
                        break;
                    case TrialStatus.Queued:
                        // Its message may have died with an embedded process; a duplicate is harmless (claims are guarded).
                        queued++;
                        dispatch.Add(Message(trial, submission.DeviceKind));
                        break;
                    default:
                        Requeue(trial, now, resetFailures: trial.Status == TrialStatus.Failed);
                        requeued++;
                        dispatch.Add(Message(trial, submission.DeviceKind));
                        break;
                }
            }

            // A queued cell the edited file no longer has would wait forever: it leaves the sweep as cancelled.
            var keys = submission.Cells.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var dropped in existing.Values.Where(t => t.Status == TrialStatus.Queued && !keys.Contains(t.Key)))
            {
                dropped.Status = TrialStatus.Cancelled;
                dropped.FinishedAt = now;
                dropped.Error = "dropped from the sweep file";
            }

            await db.SaveChangesAsync(ct);
            await InsertTrialsAsync(db, fresh, ct);
            return new SubmitOutcome(added, requeued, done, queued, dispatch);
        }, cancellationToken);
    }

    /// <summary>
    /// Requeues cells marked Running whose worker stopped sending heartbeats before <paramref name="staleBefore"/>
    /// (or every Running cell of the sweep when <paramref name="staleBefore"/> is null: the embedded owner restarting).
    /// </summary>
    public async Task<IReadOnlyList<RunTrial>> ReclaimAsync(string? sweepId, DateTime? staleBefore, CancellationToken cancellationToken = default)
    {
        return await Database.WriteAsync(async (db, ct) =>
        {
            var query = db.Trials.Include(t => t.Sweep).Where(t => t.Status == TrialStatus.Running);
            if (sweepId is not null)
            {
                query = query.Where(t => t.SweepId == sweepId);
            }

            if (staleBefore is { } limit)
            {
                query = query.Where(t => t.HeartbeatAt == null || t.HeartbeatAt < limit);
            }

            var stale = await query.OrderBy(t => t.SweepId).ThenBy(t => t.Key).ToListAsync(ct);
            var now = Now;
            var dispatch = new List<RunTrial>();
            foreach (var trial in stale)
            {
                // On Postgres (read committed) two reclaimers, or a reclaim and a completion in another process, can both
                // have read this row as Running. A guarded no-op UPDATE locks it (in key order, so two reclaimers cannot
                // deadlock) and re-checks it after the other transaction commits: only one of them requeues the cell.
                var owned = Owned(db, trial.SweepId, trial.Key, trial.Attempt);
                if (staleBefore is { } before)
                {
                    owned = owned.Where(t => t.HeartbeatAt == null || t.HeartbeatAt < before);
                }

                if (await owned.ExecuteUpdateAsync(set => set.SetProperty(t => t.Attempt, t => t.Attempt), ct) == 0)
                {
                    continue;
                }

                var silent = trial.HeartbeatAt is { } last ? FormattableString.Invariant($"{(now - last).TotalSeconds:0.0} s") : "ever";
                var reason = staleBefore is null
                    ? $"the process that ran it on {trial.Device} stopped (last heartbeat {trial.HeartbeatAt:u})"
                    : $"worker lost: no heartbeat from {trial.Device} for {silent}";
                EndAttempt(db, trial, AttemptOutcome.Lost, reason, now);
                if (CancelIfSweepCancelled(trial, now))
                {
                    continue;
                }

                Requeue(trial, now, resetFailures: false);
                trial.Error = reason;
                dispatch.Add(Message(trial, DeviceKindOf(trial)));
            }

            await db.SaveChangesAsync(ct);
            return dispatch;
        }, cancellationToken);
    }

    /// <summary>Cancels a sweep: queued cells become Cancelled now; running ones stop at their next check. Returns the running cells.</summary>
    public async Task<IReadOnlyList<TrialRow>> CancelSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        // The cells running at the moment of the cancel, read in its transaction: a heartbeat that sees the cancel may end
        // one before a later read would find it.
        var running = await Database.WriteAsync(async (db, ct) =>
        {
            var now = Now;
            var updated = await db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(set => set.SetProperty(s => s.Cancelled, true).SetProperty(s => s.UpdatedAt, now), ct);
            if (updated == 0)
            {
                throw new KeyNotFoundException($"No sweep named '{sweepId}' is in the results store at {Database.Location}. `mselab sweep status` lists the sweeps.");
            }

            await db.Trials.Where(t => t.SweepId == sweepId && t.Status == TrialStatus.Queued)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.Status, TrialStatus.Cancelled).SetProperty(t => t.FinishedAt, now), ct);
            return await db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId && t.Status == TrialStatus.Running).Select(t => t.Key).ToListAsync(ct);
        }, cancellationToken);
        var keys = running.ToHashSet(StringComparer.Ordinal);
        return (await TrialsAsync(sweepId, cancellationToken: cancellationToken)).Where(t => keys.Contains(t.Key)).ToList();
    }

    // New cells in multi-row INSERTs, the command prepared once and rebound per chunk (SQL shared by SQLite and Postgres):
    // a 10000-cell sweep is stored in a fraction of what tracked entities cost. Chunks stay small because SQLite looks
    // parameters up by name.
    private static async Task InsertTrialsAsync(MseLabDbContext db, List<TrialEntity> trials, CancellationToken cancellationToken)
    {
        const int RowsPerStatement = 16;
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        DbCommand? command = null;
        try
        {
            foreach (var chunk in trials.Chunk(RowsPerStatement))
            {
                if (command is null || command.Parameters.Count != chunk.Length * TrialColumns.Length)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = InsertCommand(connection, transaction, chunk.Length);
                }

                var p = 0;
                foreach (var t in chunk)
                {
                    object[] values = [t.SweepId, t.Key, t.SeedGroup, t.Backbone, t.Dataset, t.Seed, t.LearningRate, t.ResolvedConfig, t.RunConfig,
                        t.Status.ToString(), t.Attempt, t.Failures, t.MaxRetries, t.Priority, t.MemoryGb, false, t.Epoch, t.QueuedAt];
                    foreach (var value in values)
                    {
                        command.Parameters[p++].Value = value;
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    private static readonly string[] TrialColumns = ["SweepId", "Key", "SeedGroup", "Backbone", "Dataset", "Seed", "LearningRate", "ResolvedConfig",
        "RunConfig", "Status", "Attempt", "Failures", "MaxRetries", "Priority", "MemoryGb", "DispatchPending", "Epoch", "QueuedAt"];

    private static DbCommand InsertCommand(DbConnection connection, DbTransaction? transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var tuples = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var names = new string[TrialColumns.Length];
            for (var c = 0; c < names.Length; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = names[c] = FormattableString.Invariant($"@p{command.Parameters.Count}");
                command.Parameters.Add(parameter);
            }

            tuples.Add($"({string.Join(", ", names)})");
        }

#pragma warning disable CA2100 // Only column names and parameter placeholders are spliced in; every value is a parameter.
        command.CommandText = $"INSERT INTO trials ({string.Join(", ", TrialColumns.Select(c => $"\"{c}\""))}) VALUES {string.Join(", ", tuples)}";
#pragma warning restore CA2100
        return command;
    }

    private static TrialEntity NewTrial(SweepSubmission submission, CellSubmission cell, DateTime now) => new()
    {
        SweepId = submission.Id,
        Key = cell.Key,
        SeedGroup = cell.SeedGroup,
        Backbone = cell.Backbone,
        Dataset = cell.Dataset,
        Seed = cell.Seed,
        LearningRate = cell.LearningRate,
        ResolvedConfig = cell.ResolvedConfig,
        RunConfig = cell.RunConfig,
        Status = TrialStatus.Queued,
        Attempt = 1,
        MaxRetries = submission.Retries,
        Priority = submission.Priority,
        MemoryGb = submission.MemoryGb,
        QueuedAt = now,
    };
}
