using MseLab.Experiments.Trials;
using MseLab.Grains.Tests.Infrastructure;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests;

/// <summary>Device reports reach the sweep grain in batches per silo, and batches from different silos in any order.</summary>
public sealed class SweepGrainNotificationOrderTests(GrainClusterFixture fixture)
{
    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task ReportStarted_AfterTheFirstEpochReport_KeepsTheEpochAndMetric()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var device = fixture.NewDevice(GrainClusterFixture.HostA);
        await ClaimAsync(sweepId, keys[0], device, token);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);

        await sweep.ReportAsync([CellEvent.Progressed(new TrialEpochUpdate(keys[0], 1, 8, 8, 0.5, "accuracy", 0.75, 2.0, Attempt: 1, Device: device))]);
        await sweep.ReportAsync([CellEvent.Started(keys[0], 1, device)]);

        var cell = (await sweep.GetProgressAsync()).Cells.Single();
        Assert.Equal((TrialStatus.Running, 1, 0.75, 0.5), (cell.Status, cell.Epoch, cell.Metric, cell.Loss));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task ReportStarted_AfterTheTrialFinished_LeavesTheCellFinished()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var device = fixture.NewDevice(GrainClusterFixture.HostA);
        await ClaimAsync(sweepId, keys[0], device, token);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);

        await sweep.ReportAsync([CellEvent.Finished(keys[0], 1, TrialStatus.Succeeded)]);
        await sweep.ReportAsync([CellEvent.Started(keys[0], 1, device)]);

        Assert.Equal(TrialStatus.Succeeded, (await sweep.GetProgressAsync()).Cells.Single().Status);
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task ReportStarted_ForANewAttempt_ResetsTheProgress()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var device = fixture.NewDevice(GrainClusterFixture.HostA);
        await ClaimAsync(sweepId, keys[0], device, token);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);
        await sweep.ReportAsync([CellEvent.Started(keys[0], 1, device)]);
        await sweep.ReportAsync([CellEvent.Progressed(new TrialEpochUpdate(keys[0], 3, 8, 8, 0.5, "accuracy", 0.75, 2.0, Attempt: 1, Device: device))]);

        await sweep.ReportAsync([CellEvent.Started(keys[0], 2, device)]);

        var cell = (await sweep.GetProgressAsync()).Cells.Single();
        Assert.Equal((TrialStatus.Running, 2, 0), (cell.Status, cell.Attempt, cell.Epoch));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task ReportProgress_OvertakingStartedOnAQueuedCell_ShowsTheCellRunning()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var device = fixture.NewDevice(GrainClusterFixture.HostA);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);
        Assert.Equal(TrialStatus.Queued, (await sweep.GetProgressAsync()).Cells.Single().Status);   // loaded before the claim
        await ClaimAsync(sweepId, keys[0], device, token);

        await sweep.ReportAsync([CellEvent.Progressed(new TrialEpochUpdate(keys[0], 1, 8, 8, 0.5, "accuracy", 0.75, 2.0, Attempt: 1, Device: device))]);
        await sweep.ReportAsync([CellEvent.Started(keys[0], 1, device)]);

        var cell = (await sweep.GetProgressAsync()).Cells.Single();
        Assert.Equal((TrialStatus.Running, device, 1, 0.75), (cell.Status, cell.Device, cell.Epoch, cell.Metric));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task ReportProgress_FromAnAttemptAlreadyReplaced_IsIgnored()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var device = fixture.NewDevice(GrainClusterFixture.HostA);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);
        await sweep.ReportAsync([CellEvent.Finished(keys[0], 1, TrialStatus.Queued)]);   // attempt 1 failed and was queued as attempt 2

        await sweep.ReportAsync([CellEvent.Progressed(new TrialEpochUpdate(keys[0], 3, 8, 8, 0.5, "accuracy", 0.75, 2.0, Attempt: 1, Device: device))]);

        var cell = (await sweep.GetProgressAsync()).Cells.Single();
        Assert.Equal((TrialStatus.Queued, 2, null), (cell.Status, cell.Attempt, cell.Metric));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task Report_OneBatchStartedProgressFinished_AppliedInOrder()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 2, token);
        var device = fixture.NewDevice(GrainClusterFixture.HostB);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(sweepId);

        await sweep.ReportAsync(
        [
            CellEvent.Started(keys[0], 1, device),
            CellEvent.Progressed(new TrialEpochUpdate(keys[0], 2, 4, 4, 0.25, "mae", 0.5, 1.0, Attempt: 1, Device: device)),
            CellEvent.Started(keys[1], 1, device),
            CellEvent.Finished(keys[0], 1, TrialStatus.Succeeded),
        ]);

        var cells = (await sweep.GetProgressAsync()).Cells.ToDictionary(c => c.TrialKey);
        Assert.Equal((TrialStatus.Succeeded, 2, 0.5), (cells[keys[0]].Status, cells[keys[0]].Epoch, cells[keys[0]].Metric));
        Assert.Equal((TrialStatus.Running, device), (cells[keys[1]].Status, cells[keys[1]].Device));
    }

    private async Task ClaimAsync(string sweepId, string key, string device, CancellationToken token)
    {
        Assert.NotNull(await fixture.Leases.TryClaimAsync(new TrialLease(sweepId, key, 1), device, token));
    }
}
