using MseLab.Experiments.Trials;
using MseLab.Grains.Execution;
using MseLab.Grains.Tests.Infrastructure;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests;

/// <summary>The sweep grain keeps nothing the store does not: a new activation, or a new cluster, shows the same cells.</summary>
public sealed class SweepGrainRehydrationTests(GrainClusterFixture fixture)
{
    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task SweepGrain_AfterDeactivation_ReloadsEveryCellFromTheStore()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 4, token);
        var (succeeded, failed, running, queued) = (keys[0], keys[1], keys[2], keys[3]);
        var deviceA = fixture.NewDevice(GrainClusterFixture.HostA);
        var deviceB = fixture.NewDevice(GrainClusterFixture.HostB);
        fixture.Scripts.For(failed).Result = new TrialExecution.Failed("bad data", FailureClass.Permanent);
        var blocking = fixture.Scripts.For(running);
        blocking.Blocks = true;
        await fixture.Grains.GetGrain<IDeviceWorkerGrain>(deviceA).RunTrialAsync(new TrialAssignment(sweepId, succeeded, 1));
        await fixture.Grains.GetGrain<IDeviceWorkerGrain>(deviceA).RunTrialAsync(new TrialAssignment(sweepId, failed, 1));
        var run = fixture.Grains.GetGrain<IDeviceWorkerGrain>(deviceB).RunTrialAsync(new TrialAssignment(sweepId, running, 1));
        try
        {
            await Wait.ForAsync(blocking.Started, "the third cell to start");
            var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);
            // Device reports are one-way calls: let every one in flight land first, or it would activate the grain again.
            await Wait.UntilAsync(
                sweep.GetProgressAsync,
                p => p.Cells.Single(c => c.TrialKey == failed).Status == TrialStatus.Failed
                    && p.Cells.Single(c => c.TrialKey == running) is { Status: TrialStatus.Running, Metric: not null },
                Describe.Progress,
                "the device reports to reach the sweep grain");

            await fixture.Cluster.DeactivateAsync(sweep);

            Assert.False(fixture.Cluster.TryGetGrainContext(sweep.GetGrainId(), out _));
            var progress = await sweep.GetProgressAsync();
            Assert.False(progress.Cancelled);
            var cells = progress.Cells.ToDictionary(c => c.TrialKey);
            Assert.Equal((TrialStatus.Succeeded, 1, deviceA, TestOutcomes.Outcome.BestValidation), Summary(cells[succeeded]));
            Assert.Equal((TrialStatus.Failed, 1, deviceA, null), Summary(cells[failed]));
            Assert.Equal((TrialStatus.Running, 1, deviceB, null), Summary(cells[running]));
            Assert.Equal((TrialStatus.Queued, 1, null, null), Summary(cells[queued]));
            Assert.All(progress.Cells, c => Assert.Equal(TestSweeps.MaxEpochs, c.MaxEpochs));
            Assert.Equal("tiny synthetic:mosei lr=0.001 seed=0", cells[succeeded].Label);
        }
        finally
        {
            blocking.Release();
        }

        Assert.Equal(TrialRunOutcome.Succeeded, (await Wait.ForAsync(run, "the third cell to finish")).Outcome);
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task SweepGrain_NewClusterOnTheSameStore_ShowsTheCancelledSweepAsStored()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 3, token);
        fixture.Scripts.For(keys[1]).Result = new TrialExecution.Failed("bad data", FailureClass.Permanent);
        var device = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostA));
        await device.RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));
        await device.RunTrialAsync(new TrialAssignment(sweepId, keys[1], 1));
        await fixture.Grains.GetGrain<ISweepGrain>(sweepId).CancelAsync();

        var restarted = MseLabTestCluster.Build(fixture.DatabasePath, fixture.Scripts, GrainClusterFixture.HostA);
        try
        {
            await restarted.DeployAsync(token);

            var progress = await restarted.Client.GetGrain<ISweepGrain>(sweepId).GetProgressAsync();

            Assert.True(progress.Cancelled);
            var statuses = progress.Cells.ToDictionary(c => c.TrialKey, c => c.Status);
            Assert.Equal(TrialStatus.Succeeded, statuses[keys[0]]);
            Assert.Equal(TrialStatus.Failed, statuses[keys[1]]);
            Assert.Equal(TrialStatus.Cancelled, statuses[keys[2]]);
            var stored = await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token);
            Assert.Equal(stored.Select(t => (t.Key, (int)t.Status, t.Attempt)).Order(), progress.Cells.Select(c => (c.TrialKey, (int)c.Status, c.Attempt)).Order());
        }
        finally
        {
            await restarted.StopAllSilosAsync(token);
            await restarted.DisposeAsync();
        }
    }

    private static (TrialStatus, int, string?, double?) Summary(CellProgress cell) => (cell.Status, cell.Attempt, cell.Device, cell.Metric);
}
