using MseLab.Contracts;
using MseLab.Data.Entities;
using MseLab.Data.Records;

namespace MseLab.Data;

/// <summary>Row-level helpers of the trial lifecycle: the ownership guard, requeue, attempt history, messages.</summary>
public sealed partial class ResultsStore
{
    private const string Queued = nameof(TrialStatus.Queued);
    private const string Running = nameof(TrialStatus.Running);
    private const string Succeeded = nameof(TrialStatus.Succeeded);

    private static IQueryable<TrialEntity> Owned(MseLabDbContext db, string sweepId, string key, int attempt) =>
        db.Trials.Where(t => t.SweepId == sweepId && t.Key == key && t.Attempt == attempt && t.Status == TrialStatus.Running);

    private static async Task UpsertCheckpointAsync(MseLabDbContext db, string sweepId, string key, CheckpointBlob blob, DateTime now, CancellationToken cancellationToken)
    {
        var row = await db.Checkpoints.FindAsync([sweepId, key, blob.Kind], cancellationToken);
        if (row is null)
        {
            row = new CheckpointEntity { SweepId = sweepId, TrialKey = key, Kind = blob.Kind, Sha256 = blob.Sha256, Content = blob.Content };
            db.Checkpoints.Add(row);
        }

        row.Epoch = blob.Epoch;
        row.Sha256 = blob.Sha256;
        row.Content = blob.Content;
        row.UpdatedAt = now;
    }

    // A cell of a cancelled sweep is not queued again until the sweep is resubmitted; it ends as cancelled instead.
    private static bool CancelIfSweepCancelled(TrialEntity trial, DateTime now)
    {
        if (trial.Sweep?.Cancelled != true)
        {
            return false;
        }

        trial.Status = TrialStatus.Cancelled;
        trial.FinishedAt = now;
        return true;
    }

    /// <summary>Infrastructure faults are retried after 2, 4, 8 ... seconds (at most a minute).</summary>
    public static TimeSpan RetryBackoff(int failures) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Max(1, failures))));

    // The history row of the attempt that is ending (the cell row keeps only the latest attempt).
    private static void EndAttempt(MseLabDbContext db, TrialEntity trial, string outcome, string? reason, DateTime now) =>
        db.Attempts.Add(new AttemptEntity
        {
            SweepId = trial.SweepId,
            TrialKey = trial.Key,
            Attempt = trial.Attempt,
            Device = trial.Device,
            StartedAt = trial.StartedAt,
            EndedAt = now,
            Outcome = outcome,
            Reason = reason,
        });

    // Every requeue leaves the cell flagged until its message is known to be sent (MarkDispatchedAsync); the lease
    // sweeper sends it again if the process died (or the broker was down) in between.
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

    private static string DeviceKindOf(TrialEntity trial) => RunConfigDevice.Kind(trial.RunConfig);

    private static RunTrial Message(TrialEntity trial, string deviceKind) => new()
    {
        SweepId = trial.SweepId,
        TrialKey = trial.Key,
        Attempt = trial.Attempt,
        Priority = trial.Priority,
        DeviceKind = deviceKind,
        MemoryGb = trial.MemoryGb,
        NotBefore = trial.NotBefore,
        Backbone = trial.Backbone,
        Dataset = trial.Dataset,
    };
}
