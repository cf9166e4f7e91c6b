using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Database;
using MseLab.Store.Entities;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>
/// Sweep-level writes: storing a submission (new cells, an edited file, reruns) and cancelling a sweep. Existing cells
/// are tracked entities; new ones go in as a bulk insert whose columns come from the model.
/// </summary>
public sealed class SweepSubmissions(ResultsDatabase database, StoreClock clock)
{
    /// <summary>
    /// Stores a sweep and decides what to queue: new cells, cells whose earlier run stopped (cancelled, or queued but
    /// never finished) and, with <paramref name="rerunFailed"/>, failed cells. Finished cells are never queued again. Cells
    /// queued again are flagged in the dispatch outbox until their message is confirmed sent; new cells are not (flagging
    /// them would make every first claim wait on the sender's row locks): a submission stopped before its messages went out
    /// sends them when it is made again, since queued cells are always sent again.
    /// </summary>
    public Task<SubmitOutcome> SubmitAsync(SweepSubmission submission, bool rerunFailed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            var sweep = await db.Sweeps.FindAsync([submission.Id], ct);
            if (sweep is null)
            {
                sweep = new SweepEntity { Id = submission.Id, File = submission.File, Definition = submission.Definition, Owner = submission.Owner, CreatedAt = now };
                db.Sweeps.Add(sweep);
            }

            sweep.File = submission.File;
            sweep.Definition = submission.Definition;
            sweep.Cancelled = false;
            sweep.EarlyStopping = EarlyStoppingJson.Write(submission.EarlyStopping);
            sweep.UpdatedAt = now;

            var existing = await db.Trials.Where(t => t.SweepId == submission.Id).ToDictionaryAsync(t => t.Key, StringComparer.Ordinal, ct);
            int requeued = 0, done = 0, queued = 0;
            var dispatch = new List<QueuedCell>();
            var fresh = new List<TrialEntity>();
            foreach (var cell in submission.Cells)
            {
                if (!existing.TryGetValue(cell.Key, out var trial))
                {
                    trial = NewTrial(submission, cell, now);
                    fresh.Add(trial);
                    dispatch.Add(Queue(trial));
                    continue;
                }

                trial.MaxRetries = submission.Retries;
                trial.Priority = submission.Priority;
                trial.MemoryGb = submission.MemoryGb;
                switch (trial.Status)
                {
                    case TrialStatus.Running:
                        queued++;
                        break;
                    case TrialStatus.Succeeded:
                    case TrialStatus.Pruned:   // stopped by the rule: only the rule promotes it (submitting again is no promotion)
                    case TrialStatus.Failed when !rerunFailed:
                        done++;
                        break;
                    case TrialStatus.Queued:
                        // Its message may have died with an embedded process; a duplicate is harmless (claims are guarded).
                        queued++;
                        dispatch.Add(Queue(trial));
                        break;
                    default:
                        Requeue(trial, now, resetFailures: trial.Status == TrialStatus.Failed);
                        requeued++;
                        dispatch.Add(Queue(trial));
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
            await BulkInsert.RunAsync(db, fresh, ct);
            return new SubmitOutcome(fresh.Count, requeued, done, queued, dispatch);
        }, cancellationToken);
    }

    /// <summary>
    /// Cancels a sweep: queued cells become Cancelled now; running ones stop at their next heartbeat. Returns the cells
    /// running at the moment of the cancel (read in its transaction: a heartbeat that sees the cancel may end one before a
    /// later read would find it), so that their devices can be told at once.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No sweep has that name.</exception>
    public Task<IReadOnlyList<RunningCell>> CancelAsync(string sweepId, CancellationToken cancellationToken = default) =>
        database.WriteAsync<IReadOnlyList<RunningCell>>(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            var updated = await db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(set => set.SetProperty(s => s.Cancelled, true).SetProperty(s => s.UpdatedAt, now), ct);
            if (updated == 0)
            {
                throw new KeyNotFoundException($"No sweep named '{sweepId}' is in the results store at {database.Location}. `mselab sweep status` lists the sweeps.");
            }

            await db.Trials.Where(t => t.SweepId == sweepId && t.Status == TrialStatus.Queued)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.Status, TrialStatus.Cancelled).SetProperty(t => t.FinishedAt, now), ct);
            return await db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId && t.Status == TrialStatus.Running)
                .Select(t => new RunningCell(t.Key, t.Attempt, t.Device))
                .ToListAsync(ct);
        }, cancellationToken);

    /// <summary>
    /// Removes a sweep and everything stored for it (cells, attempts, epochs, metrics, checkpoints, provenance); false
    /// when there is no such sweep. Refused while any of its cells runs: cancel it first.
    /// </summary>
    public Task<bool> DeleteAsync(string sweepId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (db, ct) =>
        {
            if (await db.Trials.AnyAsync(t => t.SweepId == sweepId && t.Status == TrialStatus.Running, ct))
            {
                throw new InvalidOperationException($"Sweep '{sweepId}' has cells running; `mselab sweep cancel {sweepId}` first, then delete it.");
            }

            // Child rows first: the cascades are in the schema, but SQLite applies them only with foreign keys on.
            await db.Epochs.Where(e => e.SweepId == sweepId).ExecuteDeleteAsync(ct);
            await db.TestMetrics.Where(m => m.SweepId == sweepId).ExecuteDeleteAsync(ct);
            await db.Checkpoints.Where(c => c.SweepId == sweepId).ExecuteDeleteAsync(ct);
            await db.Provenance.Where(p => p.SweepId == sweepId).ExecuteDeleteAsync(ct);
            await db.Attempts.Where(a => a.SweepId == sweepId).ExecuteDeleteAsync(ct);
            await db.Trials.Where(t => t.SweepId == sweepId).ExecuteDeleteAsync(ct);
            return await db.Sweeps.Where(s => s.Id == sweepId).ExecuteDeleteAsync(ct) == 1;
        }, cancellationToken);

    private static void Requeue(TrialEntity trial, DateTime now, bool resetFailures)
    {
        trial.Status = TrialStatus.Queued;
        trial.Attempt++;
        trial.DispatchPending = true;
        trial.NotBefore = null;
        trial.QueuedAt = now;
        trial.StartedAt = null;
        trial.FinishedAt = null;
        if (resetFailures)
        {
            trial.Failures = 0;
            trial.Error = null;
        }
    }

    private static QueuedCell Queue(TrialEntity trial) =>
        new(new TrialLease(trial.SweepId, trial.Key, trial.Attempt), trial.Priority, trial.DeviceKind, trial.MemoryGb, trial.NotBefore, trial.Backbone, trial.Dataset);

    private static TrialEntity NewTrial(SweepSubmission submission, CellSubmission cell, DateTime now) => new()
    {
        SweepId = submission.Id,
        Key = cell.Key,
        SeedGroup = cell.SeedGroup,
        Backbone = cell.Backbone,
        Dataset = cell.Dataset,
        Seed = cell.Seed,
        DeviceKind = submission.DeviceKind,
        MaxEpochs = cell.MaxEpochs,
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
