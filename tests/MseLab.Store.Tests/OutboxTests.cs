using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>The dispatch outbox: every queued cell stays flagged until its own attempt's message is confirmed sent.</summary>
public sealed class OutboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requeues_StayPendingUntilMarkedDispatched_NewCellsAreSentByTheirSubmission()
    {
        await using var lab = await TempStore.CreateAsync();
        var cells = await lab.SubmitAsync(Cell("a"), Cell("b"), Cell("c"));
        foreach (var cell in cells)
        {
            await lab.ClaimAsync(cell);
        }

        var requeued = new List<QueuedCell>();
        foreach (var cell in cells)
        {
            requeued.Add((await lab.Leases.ReleaseAsync(cell.Lease, Ct))!);
        }

        lab.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["a", "b", "c"], (await lab.Outbox.PendingAsync(lab.Now, Ct)).Select(c => c.Key));
        Assert.Empty(await lab.Outbox.PendingAsync(lab.Now.AddSeconds(-20), Ct));

        await lab.Outbox.MarkDispatchedAsync([requeued[0].Lease, requeued[2].Lease], Ct);

        var pending = Assert.Single(await lab.Outbox.PendingAsync(lab.Now, Ct));
        Assert.Equal(requeued[1], pending);
        Assert.Equal(requeued[1], await lab.Outbox.PendingAsync(requeued[1].Lease, Ct));
        Assert.Null(await lab.Outbox.PendingAsync(requeued[0].Lease, Ct));
        Assert.Equal(3, await lab.Outbox.QueueDepthAsync(Ct));
    }

    [Fact]
    public async Task Submit_NewCells_AreSentByTheSubmissionNotTheOutbox()
    {
        await using var lab = await TempStore.CreateAsync();
        Assert.Equal(2, (await lab.SubmitAsync(Cell("a"), Cell("b"))).Count);
        lab.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(await lab.Outbox.PendingAsync(lab.Now, Ct));
        Assert.Equal(2, await lab.Outbox.QueueDepthAsync(Ct));
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
        var requeued = new List<QueuedCell>();
        foreach (var cell in await lab.SubmitAsync(Cell("running"), Cell("done")))
        {
            await lab.ClaimAsync(cell);
            requeued.Add((await lab.Leases.ReleaseAsync(cell.Lease, Ct))!);
        }

        await lab.ClaimAsync(requeued[0]);   // delivered and claimed before the sender confirmed the send
        await lab.SucceedAsync(requeued[1], mae: 0.5);
        lab.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(await lab.Outbox.PendingAsync(lab.Now, Ct));
        var running = await lab.TrialAsync("running");
        Assert.Equal((TrialStatus.Running, true), (running.Status, running.DispatchPending));
    }
}
