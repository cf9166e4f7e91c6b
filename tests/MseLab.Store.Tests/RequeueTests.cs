
using static MseLab.Store.Tests.Submissions;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>How attempts end without a result: failures, retries, release on shutdown and reclaim after silence.</summary>
public sealed class RequeueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fail_Retryable_RetriesUpToMaxRetriesThenFails()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single((await lab.Sweeps.SubmitAsync(Sweep([Cell("a")], retries: 2), rerunFailed: false, Ct)).Dispatch);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await lab.ClaimAsync(message);
            var retry = await lab.Leases.FailAsync(new(SweepId, "a", attempt), $"oom {attempt}", FailureClass.Transient, Ct);
            Assert.NotNull(retry);
            Assert.Equal(attempt + 1, retry.Attempt);
            var queued = await lab.TrialAsync("a");
            Assert.Equal((TrialStatus.Queued, attempt + 1, attempt, $"oom {attempt}"), (queued.Status, queued.Attempt, queued.Failures, queued.Error));
            message = retry;
        }

        await lab.ClaimAsync(message);
        lab.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await lab.Leases.FailAsync(new(SweepId, "a", 3), "oom 3", FailureClass.Transient, Ct));

        var trial = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Failed, 3, 3, "oom 3"), (trial.Status, trial.Attempt, trial.Failures, trial.Error));
        Assert.Equal(lab.Now, trial.FinishedAt);
        Assert.Equal("oom 3", Assert.Single(await lab.Queries.TrialsAsync(SweepId, TrialStatus.Failed, cancellationToken: Ct)).Error);
    }

    [Fact]
    public async Task Fail_NonRetryable_FailsAtOnceWithTheError()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(message);

        var retry = await lab.Leases.FailAsync(new(SweepId, "a", 1), "Loss is NaN at epoch 3", FailureClass.Permanent, Ct);

        Assert.Null(retry);
        var trial = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Failed, 1, 1, "Loss is NaN at epoch 3"), (trial.Status, trial.Attempt, trial.Failures, trial.Error));
        Assert.True((await lab.Queries.SweepsAsync(SweepId, Ct))[0].Finished);
    }

    [Fact]
    public async Task ReleaseAndReclaim_InACancelledSweep_EndTheCellCancelledInsteadOfQueueingIt()
    {
        await using var lab = await TempStore.CreateAsync();
        var messages = await lab.SubmitAsync(Cell("a"), Cell("b"));
        foreach (var message in messages)
        {
            await lab.ClaimAsync(message);
        }

        await lab.Sweeps.CancelAsync(SweepId, Ct);

        Assert.Null(await lab.Leases.ReleaseAsync(new(SweepId, "a", 1), Ct));
        Assert.Empty(await lab.Stale.ReclaimAsync(SweepId, staleBefore: null, Ct));
        Assert.All(await lab.Queries.TrialsAsync(SweepId, cancellationToken: Ct), t => Assert.Equal(TrialStatus.Cancelled, t.Status));
        Assert.True((await lab.Queries.SweepsAsync(SweepId, Ct))[0].Finished);
    }

    [Fact]
    public async Task Fail_RetryableInACancelledSweep_FailsInsteadOfRequeueing()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(message);
        await lab.Sweeps.CancelAsync(SweepId, Ct);

        Assert.Null(await lab.Leases.FailAsync(new(SweepId, "a", 1), "oom", FailureClass.Transient, Ct));
        Assert.Equal(TrialStatus.Failed, (await lab.TrialAsync("a")).Status);
    }

    [Fact]
    public async Task Release_RequeuesAsTheNextAttemptAndKeepsCheckpoints()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single((await lab.Sweeps.SubmitAsync(Sweep([Cell("a", device: "cuda:1")], deviceKind: "cuda"), rerunFailed: false, Ct)).Dispatch);
        Assert.Equal("cuda", message.DeviceKind);
        await lab.ClaimAsync(message);
        Assert.True(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 1), Epoch(1, 0.9), [Blob(CheckpointKind.Latest, 1, [1, 2, 3])], Ct));

        var next = await lab.Leases.ReleaseAsync(new(SweepId, "a", 1), Ct);

        Assert.NotNull(next);
        Assert.Equal((SweepId, "a", 2, 3, "cuda"), (next.SweepId, next.Key, next.Attempt, next.Priority, next.DeviceKind));
        var trial = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Queued, 2, 0, (DateTime?)null), (trial.Status, trial.Attempt, trial.Failures, trial.StartedAt));
        Assert.StartsWith("interrupted", trial.Error, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], (await lab.Checkpoints.GetAsync(SweepId, "a", CheckpointKind.Latest, Ct))!.Content);
        Assert.Null(await lab.Leases.ReleaseAsync(new(SweepId, "a", 1), Ct));
    }

    [Fact]
    public async Task Reclaim_StaleBefore_TakesOnlyTrialsWhoseHeartbeatIsOlder()
    {
        await using var lab = await TempStore.CreateAsync();
        var messages = await lab.SubmitAsync(Cell("silent"), Cell("beating"), Cell("late"), Cell("waiting"));
        await lab.ClaimAsync(messages[0], "cpu:0");
        await lab.ClaimAsync(messages[1], "cpu:1");
        lab.Time.Advance(TimeSpan.FromMinutes(5));
        await lab.Leases.HeartbeatAsync(new(SweepId, "beating", 1), 1, 0.5, Ct);
        await lab.ClaimAsync(messages[2], "cpu:2");
        lab.Time.Advance(TimeSpan.FromMinutes(1));

        var reclaimed = await lab.Stale.ReclaimAsync(SweepId, staleBefore: TempStore.Start.UtcDateTime.AddMinutes(2), Ct);

        var message = Assert.Single(reclaimed);
        Assert.Equal(("silent", 2, "cpu"), (message.Key, message.Attempt, message.DeviceKind));
        var silent = await lab.TrialAsync("silent");
        Assert.Equal((TrialStatus.Queued, 2), (silent.Status, silent.Attempt));
        Assert.Contains("cpu:0", silent.Error, StringComparison.Ordinal);
        Assert.Equal((TrialStatus.Running, 1), ((await lab.TrialAsync("beating")).Status, (await lab.TrialAsync("beating")).Attempt));
        Assert.Equal((TrialStatus.Running, 1), ((await lab.TrialAsync("late")).Status, (await lab.TrialAsync("late")).Attempt));
        Assert.Equal((TrialStatus.Queued, 1), ((await lab.TrialAsync("waiting")).Status, (await lab.TrialAsync("waiting")).Attempt));
    }

    [Fact]
    public async Task Reclaim_StaleBeforeBetweenSubSecondHeartbeats_ComparesInstantsNotText()
    {
        // SQLite keeps DateTime as text with trailing zeros of the fraction trimmed: the comparison must still order instants.
        await using var lab = await TempStore.CreateAsync();
        var messages = await lab.SubmitAsync(Cell("whole"), Cell("fraction"));
        await lab.ClaimAsync(messages[0]);                       // 12:00:00
        lab.Time.Advance(TimeSpan.FromMilliseconds(500));
        await lab.ClaimAsync(messages[1]);                       // 12:00:00.5

        var reclaimed = await lab.Stale.ReclaimAsync(SweepId, staleBefore: TempStore.Start.UtcDateTime.AddMilliseconds(250), Ct);

        Assert.Equal(["whole"], reclaimed.Select(m => m.Key));
    }

    [Fact]
    public async Task Reclaim_WithoutStaleBefore_TakesEveryRunningCellOfThatSweepOnly()
    {
        await using var lab = await TempStore.CreateAsync();
        var mine = await lab.SubmitAsync(Cell("a"), Cell("b"));
        var other = Assert.Single((await lab.Sweeps.SubmitAsync(Sweep([Cell("a")], id: "other"), rerunFailed: false, Ct)).Dispatch);
        await lab.ClaimAsync(mine[0]);
        await lab.ClaimAsync(other);

        var reclaimed = await lab.Stale.ReclaimAsync(SweepId, staleBefore: null, Ct);

        Assert.Equal([(SweepId, "a", 2)], reclaimed.Select(m => (m.SweepId, m.Key, m.Attempt)));
        Assert.Equal(1, (await lab.TrialAsync("b")).Attempt);
        Assert.Equal(TrialStatus.Running, (await lab.TrialAsync("a", "other")).Status);
    }
}
