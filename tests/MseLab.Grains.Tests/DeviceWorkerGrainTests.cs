
using MseLab.Grains.Execution;
using MseLab.Grains.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests;

/// <summary>A device grain runs what it can claim in the store, once, and records how it ended.</summary>
public sealed class DeviceWorkerGrainTests(GrainClusterFixture fixture)
{
    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_ClaimedAssignment_StoreAndSweepShowSucceeded()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var device = fixture.NewDevice(GrainClusterFixture.HostA);
        var worker = fixture.Grains.GetGrain<IDeviceWorkerGrain>(device);

        var report = await worker.RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));

        Assert.Equal(new TrialRunReport(TrialRunOutcome.Succeeded, device), report);
        var row = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal(TrialStatus.Succeeded, row.Status);
        Assert.Equal(1, row.Attempt);
        Assert.Equal(device, row.Device);
        Assert.Equal(TestOutcomes.Outcome.BestValidation, row.BestValidation);
        Assert.Equal(TestOutcomes.Outcome.Test.OrderBy(m => m.Key), row.Test.OrderBy(m => m.Key));
        Assert.NotNull(row.FinishedAt);
        // The sweep grain is a live view the device notifies without waiting: it follows the store shortly after.
        var progress = await Wait.UntilAsync(
            fixture.Grains.GetGrain<ISweepGrain>(sweepId).GetProgressAsync, p => p.Finished, Describe.Progress, "the sweep grain to show the sweep finished");
        var cell = Assert.Single(progress.Cells);
        Assert.Equal((keys[0], TrialStatus.Succeeded, 1, device), (cell.TrialKey, cell.Status, cell.Attempt, cell.Device));
        Assert.True(progress.Finished);
        var status = await worker.GetStatusAsync();
        Assert.Equal((1, null, null), (status.TrialsRun, status.SweepId, status.TrialKey));
        Assert.Equal(1, fixture.Scripts.For(keys[0]).Calls);
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunClaimed_OnANewActivationAfterTheClaim_TakesTheClaimFromTheStoreAndRuns()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var device = fixture.NewDevice(GrainClusterFixture.HostA);
        var worker = fixture.Grains.GetGrain<IDeviceWorkerGrain>(device);
        var assignment = new TrialAssignment(sweepId, keys[0], 1);
        Assert.Equal(TrialRunOutcome.Claimed, (await worker.ClaimAsync(assignment)).Outcome);

        await fixture.Cluster.DeactivateAsync(worker);   // as when silos come and go between the claim and the run
        var report = await worker.RunClaimedAsync(assignment);

        Assert.Equal(TrialRunOutcome.Succeeded, report.Outcome);
        Assert.Equal(TrialStatus.Succeeded, (await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token)).Single().Status);
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunClaimed_WithoutAClaim_RefusesAndRunsNothing()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var worker = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostA));

        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.RunClaimedAsync(new TrialAssignment(sweepId, keys[0], 1)));

        Assert.Equal(0, fixture.Scripts.For(keys[0]).Calls);
        Assert.Equal(TrialStatus.Queued, (await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token)).Single().Status);
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_SameAttemptAfterItFinished_SkippedOnAnyDeviceWithoutRunningAgain()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var first = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostA));
        var other = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostB));
        var assignment = new TrialAssignment(sweepId, keys[0], 1);
        Assert.Equal(TrialRunOutcome.Succeeded, (await first.RunTrialAsync(assignment)).Outcome);
        var stored = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));

        var again = await first.RunTrialAsync(assignment);
        var elsewhere = await other.RunTrialAsync(assignment);

        Assert.Equal(TrialRunOutcome.Skipped, again.Outcome);
        Assert.Equal(TrialRunOutcome.Skipped, elsewhere.Outcome);
        Assert.Equal(1, fixture.Scripts.For(keys[0]).Calls);
        var row = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal((TrialStatus.Succeeded, 1, stored.Device, stored.FinishedAt), (row.Status, row.Attempt, row.Device, row.FinishedAt));
        Assert.Equal(1, (await first.GetStatusAsync()).TrialsRun);
        Assert.Equal(0, (await other.GetStatusAsync()).TrialsRun);
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_SameAttemptWhileItRunsElsewhere_SkippedAndOneResult()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token);
        var script = fixture.Scripts.For(keys[0]);
        script.Blocks = true;
        var deviceA = fixture.NewDevice(GrainClusterFixture.HostA);
        var assignment = new TrialAssignment(sweepId, keys[0], 1);
        var running = fixture.Grains.GetGrain<IDeviceWorkerGrain>(deviceA).RunTrialAsync(assignment);
        try
        {
            await Wait.ForAsync(script.Started, "the first delivery to start");

            var duplicate = await fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostB)).RunTrialAsync(assignment);

            Assert.Equal(TrialRunOutcome.Skipped, duplicate.Outcome);
        }
        finally
        {
            script.Release();
        }

        Assert.Equal(TrialRunOutcome.Succeeded, (await Wait.ForAsync(running, "the first delivery to finish")).Outcome);
        Assert.Equal(1, script.Calls);
        var row = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal((TrialStatus.Succeeded, 1, deviceA), (row.Status, row.Attempt, row.Device));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_SecondAssignmentWhileBusy_BusyAndLeavesItQueued()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 2, token);
        var script = fixture.Scripts.For(keys[0]);
        script.Blocks = true;
        var device = fixture.NewDevice(GrainClusterFixture.HostA);
        var worker = fixture.Grains.GetGrain<IDeviceWorkerGrain>(device);
        var running = worker.RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));
        try
        {
            await Wait.ForAsync(script.Started, "the first trial to start");

            var second = await Wait.ForAsync(
                worker.RunTrialAsync(new TrialAssignment(sweepId, keys[1], 1)),
                "the second assignment to be answered while the device runs the first",
                TimeSpan.FromSeconds(5));

            Assert.Equal(new TrialRunReport(TrialRunOutcome.Busy, device), second);
            var status = await worker.GetStatusAsync();
            Assert.Equal((sweepId, keys[0]), (status.SweepId, status.TrialKey));
        }
        finally
        {
            script.Release();
        }

        Assert.Equal(TrialRunOutcome.Succeeded, (await Wait.ForAsync(running, "the first trial to finish")).Outcome);
        Assert.Equal(0, fixture.Scripts.For(keys[1]).Calls);
        var queued = (await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token)).Single(t => t.Key == keys[1]);
        Assert.Equal((TrialStatus.Queued, 1, null), (queued.Status, queued.Attempt, queued.Device));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_TwoAssignmentsAtOnce_OneRunsAndTheOtherIsBusyAndStaysQueued()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 2, token);
        var scripts = keys.Select(fixture.Scripts.For).ToList();
        scripts.ForEach(s => s.Blocks = true);
        var worker = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostB));

        // Sent back to back: whichever is second finds the device taken and must not claim its cell.
        var calls = keys.Select(k => worker.RunTrialAsync(new TrialAssignment(sweepId, k, 1))).ToList();
        TrialRunReport busy;
        try
        {
            busy = await Wait.ForAsync(Task.WhenAny(calls).Unwrap(), "one of the two assignments to be answered", TimeSpan.FromSeconds(5));
        }
        finally
        {
            scripts.ForEach(s => s.Release());
        }

        Assert.Equal(TrialRunOutcome.Busy, busy.Outcome);
        var reports = await Wait.ForAsync(Task.WhenAll(calls), "both assignments to end");
        Assert.Equal([TrialRunOutcome.Succeeded, TrialRunOutcome.Busy], reports.Select(r => r.Outcome).Order());
        Assert.Equal(1, scripts.Sum(s => s.Calls));
        var rows = await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token);
        Assert.Equal([TrialStatus.Queued, TrialStatus.Succeeded], rows.Select(r => r.Status).Order());
        Assert.Equal(1, (await worker.GetStatusAsync()).TrialsRun);
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_ExecutorThrows_RequeuedAsNextAttemptWhichRunsAndStaleAttemptIsSkipped()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token, retries: 1);
        var script = fixture.Scripts.For(keys[0]);
        script.Throws = new InvalidOperationException("device fell over");
        var worker = fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostA));

        var failed = await worker.RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));

        Assert.Equal((TrialRunOutcome.Retrying, 2), (failed.Outcome, failed.RetryAttempt));
        Assert.Contains("device fell over", failed.Error, StringComparison.Ordinal);
        var requeued = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal((TrialStatus.Queued, 2), (requeued.Status, requeued.Attempt));
        Assert.Equal("InvalidOperationException: device fell over", requeued.Error);
        var shown = await Wait.UntilAsync(
            fixture.Grains.GetGrain<ISweepGrain>(sweepId).GetProgressAsync,
            p => p.Cells.Single() is { Status: TrialStatus.Queued, Attempt: 2 },
            Describe.Progress,
            "the sweep grain to show the cell queued as attempt 2");
        Assert.Single(shown.Cells);

        script.Throws = null;
        var stale = await worker.RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));
        var retry = await worker.RunTrialAsync(new TrialAssignment(sweepId, keys[0], 2));

        Assert.Equal(TrialRunOutcome.Skipped, stale.Outcome);
        Assert.Equal(TrialRunOutcome.Succeeded, retry.Outcome);
        Assert.Equal(2, script.Calls);
        var row = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal((TrialStatus.Succeeded, 2), (row.Status, row.Attempt));
    }

    [Fact(Timeout = Wait.TestMilliseconds)]
    public async Task RunTrial_DeterministicFailure_StoredFailedAndSweepShowsFailed()
    {
        var token = TestContext.Current.CancellationToken;
        var (sweepId, keys) = await TestSweeps.SubmitAsync(fixture.Sweeps, cells: 1, token, retries: 3);
        fixture.Scripts.For(keys[0]).Result = new TrialExecution.Failed("dataset missing", FailureClass.Permanent);

        var report = await fixture.Grains.GetGrain<IDeviceWorkerGrain>(fixture.NewDevice(GrainClusterFixture.HostB))
            .RunTrialAsync(new TrialAssignment(sweepId, keys[0], 1));

        Assert.Equal((TrialRunOutcome.Failed, "dataset missing"), (report.Outcome, report.Error));
        var row = Assert.Single(await fixture.Queries.TrialsAsync(sweepId, cancellationToken: token));
        Assert.Equal((TrialStatus.Failed, 1, "dataset missing"), (row.Status, row.Attempt, row.Error));
        var progress = await Wait.UntilAsync(
            fixture.Grains.GetGrain<ISweepGrain>(sweepId).GetProgressAsync,
            p => p.Cells.Single().Status == TrialStatus.Failed,
            Describe.Progress,
            "the sweep grain to show the cell failed");
        Assert.Single(progress.Cells);
    }
}
