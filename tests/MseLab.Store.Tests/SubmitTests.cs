
using static MseLab.Store.Tests.Submissions;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

public sealed class SubmitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_NewSweep_AddsAndDispatchesEveryCellAsAttempt1()
    {
        await using var lab = await TempStore.CreateAsync();

        var outcome = await lab.Sweeps.SubmitAsync(Sweep([Cell("a"), Cell("b", device: "cuda:1"), Cell("c")], deviceKind: "cuda"), rerunFailed: false, Ct);

        Assert.Equal((3, 0, 0, 0), (outcome.Added, outcome.Requeued, outcome.AlreadyDone, outcome.AlreadyQueued));
        Assert.Equal(["a", "b", "c"], outcome.Dispatch.Select(m => m.Key));
        Assert.All(outcome.Dispatch, m => Assert.Equal((SweepId, 1, 3, "cuda"), (m.SweepId, m.Attempt, m.Priority, m.DeviceKind)));
        var trial = await lab.TrialAsync("b");
        Assert.Equal((TrialStatus.Queued, 1, 2, 0), (trial.Status, trial.Attempt, trial.MaxRetries, trial.Failures));
        Assert.Equal(lab.Now, trial.QueuedAt);
        var summary = Assert.Single(await lab.Queries.SweepsAsync(SweepId, Ct));
        Assert.Equal((3, 3, false, false), (summary.Total, summary.Queued, summary.Cancelled, summary.Finished));
    }

    [Fact]
    public async Task Submit_SameSubmissionAgain_AddsNothingAndDispatchesNothingForFinishedOrRunningCells()
    {
        await using var lab = await TempStore.CreateAsync();
        var first = await lab.SubmitAsync(Cell("a"), Cell("b"), Cell("c"));
        await lab.SucceedAsync(first[0], mae: 0.5);
        await lab.SucceedAsync(first[1], mae: 0.6);
        await lab.ClaimAsync(first[2]);

        var again = await lab.Sweeps.SubmitAsync(Sweep([Cell("a"), Cell("b"), Cell("c")]), rerunFailed: false, Ct);

        Assert.Equal((0, 0, 2, 1), (again.Added, again.Requeued, again.AlreadyDone, again.AlreadyQueued));
        Assert.Empty(again.Dispatch);
        Assert.Equal((TrialStatus.Succeeded, 1), ((await lab.TrialAsync("a")).Status, (await lab.TrialAsync("a")).Attempt));
        Assert.Equal((TrialStatus.Running, 1), ((await lab.TrialAsync("c")).Status, (await lab.TrialAsync("c")).Attempt));
    }

    [Fact]
    public async Task Submit_SameSubmissionWhileQueued_RedispatchesTheSameAttemptAndOnlyOneClaimWins()
    {
        // The first message may have died with an embedded process: the cell is sent again, and the duplicate is harmless.
        await using var lab = await TempStore.CreateAsync();
        var first = Assert.Single(await lab.SubmitAsync(Cell("a")));

        var again = await lab.Sweeps.SubmitAsync(Sweep([Cell("a")]), rerunFailed: false, Ct);

        Assert.Equal((0, 0, 0, 1), (again.Added, again.Requeued, again.AlreadyDone, again.AlreadyQueued));
        var resent = Assert.Single(again.Dispatch);
        Assert.Equal(first, resent);
        Assert.NotNull(await lab.Leases.TryClaimAsync(first.Lease, "cpu:0", Ct));
        Assert.Null(await lab.Leases.TryClaimAsync(resent.Lease, "cpu:1", Ct));
    }

    [Fact]
    public async Task Submit_EditedSubmissionWithOneExtraCell_AddsAndDispatchesOnlyThatCell()
    {
        await using var lab = await TempStore.CreateAsync();
        foreach (var finished in await lab.SubmitAsync(Cell("a"), Cell("b")))
        {
            await lab.SucceedAsync(finished, mae: 0.5);
        }

        var edited = await lab.Sweeps.SubmitAsync(Sweep([Cell("a"), Cell("b"), Cell("c", lr: 1e-2)]), rerunFailed: false, Ct);

        Assert.Equal((1, 0, 2, 0), (edited.Added, edited.Requeued, edited.AlreadyDone, edited.AlreadyQueued));
        var message = Assert.Single(edited.Dispatch);
        Assert.Equal(("c", 1), (message.Key, message.Attempt));
        Assert.Equal(3, (await lab.Queries.TrialsAsync(SweepId, cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task Submit_FailedCell_IsRequeuedOnlyWithRerunFailed()
    {
        await using var lab = await TempStore.CreateAsync();
        var first = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(first);
        Assert.Null(await lab.Leases.FailAsync(new(SweepId, "a", 1), "config error", FailureClass.Permanent, Ct));

        var without = await lab.Sweeps.SubmitAsync(Sweep([Cell("a")]), rerunFailed: false, Ct);

        Assert.Equal((0, 0, 1, 0), (without.Added, without.Requeued, without.AlreadyDone, without.AlreadyQueued));
        Assert.Empty(without.Dispatch);
        Assert.Equal(TrialStatus.Failed, (await lab.TrialAsync("a")).Status);

        var with = await lab.Sweeps.SubmitAsync(Sweep([Cell("a")]), rerunFailed: true, Ct);

        Assert.Equal((0, 1), (with.Added, with.Requeued));
        var rerun = Assert.Single(with.Dispatch);
        Assert.Equal(2, rerun.Attempt);
        var trial = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Queued, 2, 0, (string?)null), (trial.Status, trial.Attempt, trial.Failures, trial.Error));
        Assert.Null(await lab.Leases.TryClaimAsync(first.Lease, "cpu:0", Ct));
        await lab.ClaimAsync(rerun);
    }

    [Fact]
    public async Task Submit_CancelledCells_AreRequeuedAsTheNextAttemptAndTheSweepIsLive()
    {
        await using var lab = await TempStore.CreateAsync();
        var first = await lab.SubmitAsync(Cell("a"), Cell("b"));
        await lab.ClaimAsync(first[0]);
        await lab.Sweeps.CancelAsync(SweepId, Ct);
        Assert.True(await lab.Leases.MarkCancelledAsync(new(SweepId, "a", 1), Ct));
        Assert.Equal(TrialStatus.Cancelled, (await lab.TrialAsync("b")).Status);

        var resumed = await lab.Sweeps.SubmitAsync(Sweep([Cell("a"), Cell("b")]), rerunFailed: false, Ct);

        Assert.Equal((0, 2), (resumed.Added, resumed.Requeued));
        Assert.Equal([("a", 2), ("b", 2)], resumed.Dispatch.Select(m => (m.Key, m.Attempt)));
        Assert.False(Assert.Single(await lab.Queries.SweepsAsync(SweepId, Ct)).Cancelled);
        foreach (var message in resumed.Dispatch)
        {
            await lab.ClaimAsync(message);
        }
    }

    [Fact]
    public async Task Submit_ChangedRetryLimit_AppliesToExistingCells()
    {
        await using var lab = await TempStore.CreateAsync();
        await lab.SubmitAsync(Cell("a"));

        await lab.Sweeps.SubmitAsync(Sweep([Cell("a")], retries: 5), rerunFailed: false, Ct);

        Assert.Equal(5, (await lab.TrialAsync("a")).MaxRetries);
    }

    [Fact]
    public async Task Submit_EditedSubmissionDroppingAQueuedCell_LeavesNoQueuedCellWithoutAMessage()
    {
        // `sweep run` is stopped before b runs, then run again on the edited file without b. Messages died with the
        // first process; the sweep grain loads every stored cell and the run waits until none is Queued or Running.
        await using var lab = await TempStore.CreateAsync();
        await lab.SubmitAsync(Cell("a"), Cell("b"));

        var edited = await lab.Sweeps.SubmitAsync(Sweep([Cell("a")]), rerunFailed: false, Ct);

        var queued = await lab.Queries.TrialsAsync(SweepId, TrialStatus.Queued, cancellationToken: Ct);
        Assert.Equal(queued.Select(t => t.Key).Order(StringComparer.Ordinal), edited.Dispatch.Select(m => m.Key).Order(StringComparer.Ordinal));
        var dropped = await lab.TrialAsync("b");
        Assert.Equal(TrialStatus.Cancelled, dropped.Status);
        Assert.Equal("dropped from the sweep file", dropped.Error);
    }
}
