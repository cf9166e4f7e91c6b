using System.Diagnostics;
using MseLab.Experiments.Trials;
using MseLab.Grains.Tests.Infrastructure;

namespace MseLab.Grains.Tests;

/// <summary>A sweep cancel, through the sweep grain or written to the store by another process, ends the running trial and the sweep.</summary>
public sealed class SweepCancellationTests(GrainClusterFixture fixture)
{
    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task CancelAsync_WhileTrialRuns_ExecutorCancelledAndEveryCellCancelled()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 3, token);
        var script = fixture.Scripts.For(keys[0]);
        script.Blocks = true;
        var device = fixture.NewDevice(GrainClusterFixture.HostB);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);
        var running = fixture.Grains.GetGrain<IDeviceWorkerGrain>(device).RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));
        try
        {
            await Wait.ForAsync(script.Started, "the trial to start");
            var live = await Wait.UntilAsync(
                sweep.GetProgressAsync,
                p => p.Cells.Single(c => c.TrialKey == keys[0]) is { Status: TrialStatus.Running, Metric: not null },
                Describe.Progress,
                "the running cell's validation metric to reach the sweep grain");
            var cell = live.Cells.Single(c => c.TrialKey == keys[0]);
            Assert.Equal((device, 1, 0.75, "accuracy", TestSweeps.MaxEpochs), (cell.Device, cell.Epoch, cell.Metric, cell.MetricName, cell.MaxEpochs));

            var wasRunning = await sweep.CancelAsync();

            Assert.Equal(1, wasRunning);
            await Wait.ForAsync(script.CancellationSeen, "the executor's token to be cancelled");
        }
        finally
        {
            script.Release();
        }

        Assert.Equal(TrialRunOutcome.Cancelled, (await Wait.ForAsync(running, "the trial to end")).Outcome);
        var rows = await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token);
        Assert.All(rows, r => Assert.Equal(TrialStatus.Cancelled, r.Status));
        Assert.Empty(rows.Single(r => r.Key == keys[0]).Test);
        var progress = await sweep.GetProgressAsync();
        Assert.True(progress.Cancelled);
        Assert.True(progress.Finished);
        Assert.Equal(3, progress.Count(TrialStatus.Cancelled));

        var late = await fixture.Grains.GetGrain<IDeviceWorkerGrain>(device).RunTrialAsync(new TrialAssignment(sweepId, keys[1], 1));

        Assert.Equal(TrialRunOutcome.Skipped, late.Outcome);
        Assert.Equal(0, fixture.Scripts.For(keys[1]).Calls);
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task CancelSweepInStore_FromAnotherProcess_TrialStopsWithinHeartbeatsAndSweepFinishes()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 2, token);
        var script = fixture.Scripts.For(keys[0]);
        script.Blocks = true;
        var running = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostA))
            .RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));
        TimeSpan stoppedAfter;
        try
        {
            await Wait.ForAsync(script.Started, "the trial to start");
            var clock = Stopwatch.StartNew();

            var stillRunning = await fixture.Sweeps.CancelAsync(sweepId, token);

            Assert.Equal(keys[0], Assert.Single(stillRunning).Key);
            await Wait.ForAsync(script.CancellationSeen, "a heartbeat to see the cancel");
            stoppedAfter = clock.Elapsed;
        }
        finally
        {
            script.Release();
        }

        // A couple of heartbeat periods, with room for a loaded two-core machine.
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(MseLabTestCluster.HeartbeatSeconds * 10), $"stopped after {stoppedAfter}");
        Assert.Equal(TrialRunOutcome.Cancelled, (await Wait.ForAsync(running, "the trial to end")).Outcome);
        var rows = await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token);
        Assert.All(rows, r => Assert.Equal(TrialStatus.Cancelled, r.Status));
        var progress = await Wait.UntilAsync(
            fixture.Grains.GetGrain<ISweepGrain>(sweepId).GetProgressAsync,
            p => p.Cancelled && p.Finished,
            Describe.Progress,
            "the sweep grain to follow the store's cancel");
        Assert.Equal(2, progress.Count(TrialStatus.Cancelled));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task CancelSweepInStore_NothingRunning_SweepGrainFollowsOnItsRefresh()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, _) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 2, token);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);
        var before = await sweep.GetProgressAsync();
        Assert.Equal((false, 2), (before.Cancelled, before.Count(TrialStatus.Queued)));

        await fixture.Sweeps.CancelAsync(sweepId, token);

        // No device reports this one: only the grain's own reload from the store (every 5 s) can see it.
        var progress = await Wait.UntilAsync(
            sweep.GetProgressAsync,
            p => p.Cancelled && p.Finished,
            Describe.Progress,
            "the sweep grain's periodic reload to see the cancel",
            TimeSpan.FromSeconds(12));
        Assert.Equal(2, progress.Count(TrialStatus.Cancelled));
    }
}
