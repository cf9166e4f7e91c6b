using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

public sealed class HeartbeatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Heartbeat_WhileOwned_ContinuesAndStoresProgress()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(message);
        lab.Time.Advance(TimeSpan.FromSeconds(30));

        var reply = await lab.Leases.HeartbeatAsync(new(SweepId, "a", 1), epoch: 2, loss: 0.75, Ct);

        Assert.Equal(HeartbeatReply.Continue, reply);
        var trial = await lab.TrialAsync("a");
        Assert.Equal((2, 0.75), (trial.Epoch, trial.TrainLoss));
        Assert.Equal(lab.Now, trial.HeartbeatAt);
        Assert.Equal(TempStore.Start.UtcDateTime, trial.StartedAt);
    }

    [Fact]
    public async Task Heartbeat_AfterCancelSweep_SaysSweepCancelledAndTheAttemptCanMarkItselfCancelled()
    {
        await using var lab = await TempStore.CreateAsync();
        var messages = await lab.SubmitAsync(Cell("a"), Cell("b"));
        await lab.ClaimAsync(messages[0], "cuda:0");

        var running = await lab.Sweeps.CancelAsync(SweepId, Ct);

        var row = Assert.Single(running);
        Assert.Equal(("a", "cuda:0"), (row.Key, row.Device));
        Assert.Equal(HeartbeatReply.SweepCancelled, await lab.Leases.HeartbeatAsync(new(SweepId, "a", 1), 1, 0.5, Ct));
        Assert.True(await lab.Leases.MarkCancelledAsync(new(SweepId, "a", 1), Ct));
        var summary = Assert.Single(await lab.Queries.SweepsAsync(SweepId, Ct));
        Assert.Equal((true, 2, true), (summary.Cancelled, summary.CancelledCells, summary.Finished));
    }

    [Fact]
    public async Task CancelSweep_UnknownSweep_ThrowsNamingIt()
    {
        await using var lab = await TempStore.CreateAsync();

        var e = await Assert.ThrowsAsync<KeyNotFoundException>(() => lab.Sweeps.CancelAsync("nope", Ct));

        Assert.Contains("'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_AfterReclaim_SaysLostAndTheOldAttemptCanWriteNothing()
    {
        await using var lab = await TempStore.CreateAsync();
        var first = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(first, "cpu:0");
        var second = Assert.Single(await lab.Stale.ReclaimAsync(SweepId, staleBefore: null, Ct));
        Assert.Equal(2, second.Attempt);

        // The presumed-dead worker wakes up before anyone claimed the new attempt...
        Assert.Equal(HeartbeatReply.Lost, await lab.Leases.HeartbeatAsync(new(SweepId, "a", 1), 3, 0.1, Ct));
        Assert.False(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 1), Epoch(1, 0.9), [Blob(CheckpointKind.Latest, 1, [1, 2, 3])], Ct));
        Assert.False(await lab.Leases.CompleteAsync(new(SweepId, "a", 1), Outcome(new Dictionary<string, double> { ["mae"] = 0.1 }), Ct));
        var queued = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Queued, 2, 0, (double?)null), (queued.Status, queued.Attempt, queued.Epoch, queued.TrainLoss));

        // ...and after the new attempt owns the cell.
        await lab.ClaimAsync(second, "cpu:1");
        Assert.True(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 2), Epoch(1, 0.5), [Blob(CheckpointKind.Latest, 1, [7])], Ct));
        Assert.Equal(HeartbeatReply.Lost, await lab.Leases.HeartbeatAsync(new(SweepId, "a", 1), 3, 0.1, Ct));
        Assert.False(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 1), Epoch(1, 0.9), [Blob(CheckpointKind.Latest, 1, [1, 2, 3])], Ct));
        Assert.False(await lab.Leases.CompleteAsync(new(SweepId, "a", 1), Outcome(new Dictionary<string, double> { ["mae"] = 0.1 }), Ct));
        Assert.Null(await lab.Leases.FailAsync(new(SweepId, "a", 1), "late failure", FailureClass.Transient, Ct));
        Assert.Null(await lab.Leases.ReleaseAsync(new(SweepId, "a", 1), Ct));
        Assert.False(await lab.Leases.MarkCancelledAsync(new(SweepId, "a", 1), Ct));

        var trial = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Running, 2, "cpu:1", 1, 0.5, 0), (trial.Status, trial.Attempt, trial.Device, trial.Epoch, trial.TrainLoss, trial.Failures));
        var epoch = Assert.Single(await lab.Queries.EpochsAsync(SweepId, "a", Ct));
        Assert.Equal(0.5, epoch.TrainLoss);
        Assert.Equal([7], (await lab.Checkpoints.GetAsync(SweepId, "a", CheckpointKind.Latest, Ct))!.Content);
        await using var db = lab.Database.CreateContext();
        Assert.Equal(0, await db.TestMetrics.CountAsync(Ct));
        Assert.Equal(0, await db.Provenance.CountAsync(Ct));
    }
}
