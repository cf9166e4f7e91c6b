using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Experiments.Trials;
using MseLab.Grains.Execution;
using MseLab.Grains.Placement;
using MseLab.Grains.Telemetry;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Grains;

/// <summary>
/// A compute device. Claims the assigned cell in the store (so duplicates and stale messages do nothing), runs it with the
/// executor, heartbeats into the store, forwards progress to the sweep grain, and records how it ended. Cancellation
/// (sweep cancel, worker shutdown, or the store saying another attempt owns the cell) stops the trial at a checkpoint. A
/// cell queued again (a retry, a hand-back) is left in the store's dispatch outbox: whoever runs the device sends it.
/// Kept active while its silo lives: a new activation needs the grain directory, which a partition elsewhere can hold up.
/// </summary>
[DeviceHostPlacement]
[KeepAlive]
public sealed partial class DeviceWorkerGrain(
    TrialLeases leases,
    ITrialExecutor executor,
    IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime,
    TrialTelemetry telemetry,
    SweepReports reports,
    ILogger<DeviceWorkerGrain> logger) : Grain, IDeviceWorkerGrain
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(0.5);

    private TrialAssignment? _current;
    private ClaimedTrial? _claimed;
    private CancellationTokenSource? _run;
    private StopReason _stopReason;
    private volatile int _epoch;
    private double? _loss;
    private DateTime _lastHeartbeat;
    private DateTime _lastProgress;
    private int _trialsRun;

    private enum StopReason
    {
        None,
        SweepCancelled,
        Lost,
    }

    private string Key => this.GetPrimaryKeyString();

    public async Task<TrialRunReport> RunTrialAsync(TrialAssignment assignment)
    {
        var claim = await ClaimAsync(assignment);
        return claim.Outcome == TrialRunOutcome.Claimed ? await RunClaimedAsync(assignment) : claim;
    }

    public async Task<TrialRunReport> RunClaimedAsync(TrialAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (_claimed is not { } claimed || _current != assignment)
        {
            claimed = await RecoverClaimAsync(assignment)
                ?? throw new InvalidOperationException($"Device {Key} has not claimed trial {assignment.TrialKey} attempt {assignment.Attempt}; call ClaimAsync first.");
            _stopReason = StopReason.None;
        }

        _claimed = null;
        _epoch = 0;
        _loss = null;
        _lastHeartbeat = DateTime.UtcNow;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        _run = run;
        if (_stopReason != StopReason.None)
        {
            run.Cancel();   // cancelled between the claim and now
        }
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["mselab.sweep"] = assignment.SweepId, ["mselab.trial"] = assignment.TrialKey, ["mselab.attempt"] = assignment.Attempt, ["mselab.device"] = Key,
        });
        using var observed = telemetry.StartRun(Key, claimed);
        try
        {
            reports.Add(assignment.SweepId, CellEvent.Started(assignment.TrialKey, assignment.Attempt, Key));
            LogStarted(logger, assignment.TrialKey, assignment.Attempt, Key);
            var period = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);
            using var heartbeat = this.RegisterGrainTimer(HeartbeatAsync, new GrainTimerCreationOptions(period, period) { Interleave = true });
            var execution = await Execute(claimed, observed, run.Token);
            var report = await RecordAsync(claimed.Lease, execution);
            observed.End(report.Outcome, report.Error);
            if (report.Outcome != TrialRunOutcome.Skipped)
            {
                reports.Add(assignment.SweepId, CellEvent.Finished(assignment.TrialKey, assignment.Attempt, StatusOf(report.Outcome)));
            }

            if (report.Outcome == TrialRunOutcome.Cancelled)
            {
                Notify(GrainFactory.GetGrain<ISweepGrain>(assignment.SweepId).RefreshAsync());   // the cancel may have come from another process: the queued cells it dropped
            }

            LogFinished(logger, assignment.TrialKey, assignment.Attempt, Key, report.Outcome);
            return report;
        }
        finally
        {
            _trialsRun++;
            _current = null;
            _run = null;
        }
    }

    public Task<DeviceStatus> GetStatusAsync() =>
        Task.FromResult(new DeviceStatus(Key, _current?.SweepId, _current?.TrialKey, _epoch, _lastHeartbeat, _trialsRun));

    public Task<bool> CancelAsync(string sweepId, string? trialKey)
    {
        if (_current is null || _current.SweepId != sweepId || (trialKey is not null && _current.TrialKey != trialKey))
        {
            return Task.FromResult(false);
        }

        Stop(StopReason.SweepCancelled);
        return Task.FromResult(true);
    }

    private async Task<TrialExecution> Execute(ClaimedTrial claimed, RunningTrial observed, CancellationToken cancellationToken)
    {
        void OnProgress(TrialEpochUpdate update)
        {
            observed.Report(update);
            _epoch = update.Epoch;
            _loss = update.Loss;
            var now = DateTime.UtcNow;
            if (update.Metric is not null || now - _lastProgress >= ProgressInterval)
            {
                _lastProgress = now;
                reports.Add(claimed.SweepId, CellEvent.Progressed(update with { Attempt = claimed.Attempt, Device = Key }));
            }
        }

        try
        {
            return await executor.ExecuteAsync(claimed, DeviceHostPlacement.DeviceOf(Key), OnProgress, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new TrialExecution.Cancelled();
        }
#pragma warning disable CA1031 // A crash inside a trial must end as a stored failure, never kill the device.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return FailureClassifier.Classify(e, DeviceHostPlacement.DeviceOf(Key));
        }
    }

    private async Task<TrialRunReport> RecordAsync(TrialLease lease, TrialExecution execution)
    {
        switch (execution)
        {
            case TrialExecution.Succeeded succeeded:
                var stored = await leases.CompleteAsync(lease, succeeded.Outcome);
                return new TrialRunReport(stored ? TrialRunOutcome.Succeeded : TrialRunOutcome.Skipped, Key);
            case TrialExecution.Pruned pruned:
                LogPruned(logger, lease.Key, lease.Attempt, Key, pruned.Reason);
                return new TrialRunReport(TrialRunOutcome.Pruned, Key, pruned.Reason);
            case TrialExecution.Lost lost:
                return new TrialRunReport(TrialRunOutcome.Skipped, Key, lost.Reason);
            case TrialExecution.Cancelled or TrialExecution.Failed when _stopReason == StopReason.Lost:
                return new TrialRunReport(TrialRunOutcome.Skipped, Key, "another attempt owns this cell now");
            case TrialExecution.Cancelled when _stopReason == StopReason.SweepCancelled:
                await leases.MarkCancelledAsync(lease);
                return new TrialRunReport(TrialRunOutcome.Cancelled, Key);
            case TrialExecution.Cancelled:
                // Stopped by the worker's shutdown (a drain, SIGTERM): the cell goes back to the queue and resumes elsewhere.
                var handedBack = await leases.ReleaseAsync(lease);
                return new TrialRunReport(TrialRunOutcome.Interrupted, Key, RetryAttempt: handedBack?.Lease.Attempt);
            case TrialExecution.Failed failed:
                var retry = await leases.FailAsync(lease, failed.Error, failed.Class);
                LogFailed(logger, lease.Key, lease.Attempt, Key, failed.Error, failed.Class);
                return retry is null
                    ? new TrialRunReport(TrialRunOutcome.Failed, Key, failed.Error)
                    : new TrialRunReport(TrialRunOutcome.Retrying, Key, failed.Error, retry.Lease.Attempt);
            default:
                throw new InvalidOperationException($"Unknown execution outcome {execution.GetType().Name}.");
        }
    }

    // The sweep grain is a live view (the store is the record, and the grain follows it): a trial never waits for it.
    private void Notify(Task call) =>
        _ = call.ContinueWith(
            t =>
            {
                var error = t.Exception?.GetBaseException().Message;
                LogNotifyFailed(logger, Key, error);
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (_current is not { } current)
        {
            return;
        }

        HeartbeatReply reply;
        try
        {
            reply = await leases.HeartbeatAsync(new TrialLease(current.SweepId, current.TrialKey, current.Attempt), _epoch, _loss, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHeartbeatFailed(logger, current.TrialKey, Key, e.Message);
            return;
        }

        _lastHeartbeat = DateTime.UtcNow;
        switch (reply)
        {
            case HeartbeatReply.SweepCancelled:
                Stop(StopReason.SweepCancelled);
                break;
            case HeartbeatReply.Pruned:
                break;   // the executor stops on the verdict of the epoch that pruned it
            case HeartbeatReply.Lost:
                LogLost(logger, current.TrialKey, current.Attempt, Key);
                Stop(StopReason.Lost);
                break;
        }
    }

    private void Stop(StopReason reason)
    {
        if (_stopReason == StopReason.None)
        {
            _stopReason = reason;
        }

        _run?.Cancel();
    }

    private static TrialStatus StatusOf(TrialRunOutcome outcome) => outcome switch
    {
        TrialRunOutcome.Succeeded => TrialStatus.Succeeded,
        TrialRunOutcome.Failed => TrialStatus.Failed,
        TrialRunOutcome.Cancelled => TrialStatus.Cancelled,
        TrialRunOutcome.Pruned => TrialStatus.Pruned,
        _ => TrialStatus.Queued,
    };
}
