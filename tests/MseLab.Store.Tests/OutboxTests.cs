using MseLab.Experiments.Trials;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>The dispatch outbox: every queued cell stays flagged until its own attempt's message is confirmed sent.</summary>
public sealed class OutboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_NewCells_StayPendingUntilMarkedDispatched()
    {
        await using var lab = await TempStore.CreateAsync();
        var cells = await lab.SubmitAsync(Cell("a"), Cell("b"), Cell("c"));
        lab.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["a", "b", "c"], (await lab.Outbox.PendingAsync(lab.Now, Ct)).Select(c => c.Key));
        Assert.Empty(await lab.Outbox.PendingAsync(lab.Now.AddSeconds(-20), Ct));

        await lab.Outbox.MarkDispatchedAsync([cells[0].Lease, cells[2].Lease], Ct);

        var pending = Assert.Single(await lab.Outbox.PendingAsync(lab.Now, Ct));
        Assert.Equal(cells[1], pending);
        Assert.Equal(cells[1], await lab.Outbox.PendingAsync(cells[1].Lease, Ct));
        Assert.Null(await lab.Outbox.PendingAsync(cells[0].Lease, Ct));
        Assert.Equal(3, await lab.Outbox.QueueDepthAsync(Ct));
    }

    [Fact]
    public async Task MarkDispatched_OfAnOlderAttempt_LeavesTheRequeueFlagged()
    {
        await using var lab = await TempStore.CreateAsync();
        var first = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(first);
        var second = await lab.Leases.ReleaseAsync(first.Lease, Ct);
        Assert.NotNull(second);

        await lab.Outbox.MarkDispatchedAsync([first.Lease], Ct);   // a late confirmation of attempt 1's message

        Assert.Equal(second, await lab.Outbox.PendingAsync(second.Lease, Ct));
        await lab.Outbox.MarkDispatchedAsync([second.Lease], Ct);
        Assert.Null(await lab.Outbox.PendingAsync(second.Lease, Ct));
        Assert.False((await lab.TrialAsync("a")).DispatchPending);
    }

    [Fact]
    public async Task MarkDispatched_ManyCellsOfTwoSweeps_ClearsEveryOne()
    {
        await using var lab = await TempStore.CreateAsync();
        var mine = await lab.SubmitAsync([.. Enumerable.Range(0, 300).Select(i => Cell($"c{i:000}"))]);
        var other = (await lab.Sweeps.SubmitAsync(Sweep([Cell("x")], id: "other"), rerunFailed: false, Ct)).Dispatch;

        await lab.Outbox.MarkDispatchedAsync([.. mine.Concat(other).Select(c => c.Lease)], Ct);

        lab.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await lab.Outbox.PendingAsync(lab.Now, Ct));
    }

    [Fact]
    public async Task Pending_RunningOrFinishedCells_AreNotResent()
    {
        await using var lab = await TempStore.CreateAsync();
        var cells = await lab.SubmitAsync(Cell("running"), Cell("done"));
        await lab.ClaimAsync(cells[0]);
        await lab.SucceedAsync(cells[1], mae: 0.5);
        lab.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(await lab.Outbox.PendingAsync(lab.Now, Ct));
        Assert.Equal((TrialStatus.Running, true), ((await lab.TrialAsync("running")).Status, (await lab.TrialAsync("running")).DispatchPending));
    }
}
