
using MseLab.Grains.Tests.Infrastructure;
using MseLab.Experiments.Trials;

namespace MseLab.Grains.Tests;

/// <summary>
/// An attempt whose cell the store gave to the next attempt (its worker presumed dead) stops and never writes a result.
/// </summary>
public sealed class DeviceWorkerFencingTests(GrainClusterFixture fixture)
{
    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_AttemptReclaimedWhileRunning_StopsWritingNothingAndNextAttemptOwnsTheCell()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var script = fixture.Scripts.For(keys[0]);
        script.Blocks = true;
        var running = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostA))
            .RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));
        try
        {
            await Wait.ForAsync(script.Started, "attempt 1 to start");

            var reclaimed = await fixture.StaleLeases.ReclaimAsync(sweepId, staleBefore: null, token);

            Assert.Equal(2, Assert.Single(reclaimed).Attempt);
            await Wait.ForAsync(script.CancellationSeen, "attempt 1 to be cancelled by its heartbeat", TimeSpan.FromSeconds(5));
        }
        finally
        {
            script.Release();
        }

        var report = await Wait.ForAsync(running, "attempt 1 to end");
        Assert.Equal(TrialRunOutcome.Skipped, report.Outcome);
        var row = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal((TrialStatus.Queued, 2, null, null), (row.Status, row.Attempt, row.BestValidation, row.FinishedAt));
        Assert.Empty(row.Test);

        script.Blocks = false;
        var deviceB = fixture.NewDevice(GrainClusterFixture.HostB);
        var next = await fixture.Grains.GetGrain<IDeviceWorkerGrain>(deviceB).RunTrialAsync(new TrialAssignment(sweepId, keys[0], 2));

        Assert.Equal(TrialRunOutcome.Succeeded, next.Outcome);
        var done = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal((TrialStatus.Succeeded, 2, deviceB), (done.Status, done.Attempt, done.Device));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_ReclaimedWorkerFinishesAnyway_ItsLateResultIsNotStored()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var script = fixture.Scripts.For(keys[0]);
        script.Blocks = true;
        script.IgnoresCancellation = true;
        var running = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostB))
            .RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));
        try
        {
            await Wait.ForAsync(script.Started, "attempt 1 to start");
            await fixture.StaleLeases.ReclaimAsync(sweepId, staleBefore: null, token);
            await Wait.ForAsync(script.CancellationSeen, "attempt 1 to be told to stop", TimeSpan.FromSeconds(5));
        }
        finally
        {
            script.Release();   // the stale worker ignores the cancel and hands in a full outcome
        }

        var report = await Wait.ForAsync(running, "attempt 1 to end");
        Assert.Equal(TrialRunOutcome.Skipped, report.Outcome);
        var row = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal((TrialStatus.Queued, 2, null), (row.Status, row.Attempt, row.BestValidation));
        Assert.Empty(row.Test);
    }
}
