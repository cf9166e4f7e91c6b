using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

public sealed class ClaimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryClaim_FirstClaim_WinsAndReturnsTheRunConfig()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        lab.Time.Advance(TimeSpan.FromMinutes(3));

        var claimed = await lab.Leases.TryClaimAsync(message.Lease, "cuda:0", Ct);

        Assert.NotNull(claimed);
        Assert.Equal((SweepId, "a", 1, Cell("a").RunConfig), (claimed.SweepId, claimed.Key, claimed.Attempt, claimed.RunConfig));
        var trial = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Running, "cuda:0"), (trial.Status, trial.Device));
        Assert.Equal(lab.Now, trial.StartedAt);
        Assert.Equal(lab.Now, trial.HeartbeatAt);
    }

    [Fact]
    public async Task TryClaim_DuplicateMessage_ReturnsNullAndKeepsTheFirstOwner()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(message, "cpu:0");

        var duplicate = await lab.Leases.TryClaimAsync(message.Lease with { }, "cpu:1", Ct);

        Assert.Null(duplicate);
        Assert.Equal("cpu:0", (await lab.TrialAsync("a")).Device);
    }

    [Fact]
    public async Task TryClaim_StaleAttempt_ReturnsNullAndLeavesTheCellQueued()
    {
        await using var lab = await TempStore.CreateAsync();
        var first = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(first);
        var second = await lab.Leases.ReleaseAsync(new(SweepId, "a", 1), Ct);
        Assert.NotNull(second);

        var stale = await lab.Leases.TryClaimAsync(first.Lease, "cpu:1", Ct);

        Assert.Null(stale);
        var trial = await lab.TrialAsync("a");
        Assert.Equal((TrialStatus.Queued, 2), (trial.Status, trial.Attempt));
        await lab.ClaimAsync(second);
    }

    [Fact]
    public async Task TryClaim_AttemptAheadOfTheStore_ReturnsNull()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));

        Assert.Null(await lab.Leases.TryClaimAsync(message.Lease with { Attempt = 2 }, "cpu:0", Ct));
        Assert.Equal(TrialStatus.Queued, (await lab.TrialAsync("a")).Status);
    }

    [Fact]
    public async Task TryClaim_QueuedCellOfCancelledSweep_ReturnsNull()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.Sweeps.CancelAsync(SweepId, Ct);

        Assert.Null(await lab.Leases.TryClaimAsync(message.Lease, "cpu:0", Ct));
        Assert.Equal(TrialStatus.Cancelled, (await lab.TrialAsync("a")).Status);
    }

    [Fact]
    public async Task TryClaim_QueuedCellInACancelledSweep_ReturnsNull()
    {
        // The sweep's cancel flag alone keeps a Queued cell from being claimed (e.g. a requeue that raced the cancel).
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.Sweeps.CancelAsync(SweepId, Ct);
        await using (var db = lab.Database.CreateContext())
        {
            var trial = await db.Trials.SingleAsync(t => t.Key == "a", Ct);
            trial.Status = TrialStatus.Queued;
            await db.SaveChangesAsync(Ct);
        }

        Assert.Null(await lab.Leases.TryClaimAsync(message.Lease, "cpu:0", Ct));
        Assert.Equal(TrialStatus.Queued, (await lab.TrialAsync("a")).Status);
    }

    [Fact]
    public async Task TryClaim_OtherSweepWithTheSameKey_IsIndependent()
    {
        await using var lab = await TempStore.CreateAsync();
        var mine = Assert.Single(await lab.SubmitAsync(Cell("a")));
        var other = Assert.Single((await lab.Sweeps.SubmitAsync(Sweep([Cell("a")], id: "other"), rerunFailed: false, Ct)).Dispatch);
        await lab.Sweeps.CancelAsync("other", Ct);

        await lab.ClaimAsync(mine);

        Assert.Null(await lab.Leases.TryClaimAsync(other.Lease, "cpu:1", Ct));
        Assert.Equal(TrialStatus.Cancelled, (await lab.TrialAsync("a", "other")).Status);
    }

    [Fact]
    public async Task TryClaim_ConcurrentClaimsFromSeparateStoresOnTheFile_ExactlyOneWins()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        var stores = Enumerable.Range(0, 8).Select(_ => new TrialLeases(new ResultsDatabase(lab.Options), lab.Clock)).ToList();

        var claims = await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.TryClaimAsync(message.Lease, $"cpu:{i}", Ct), Ct)));

        var winner = Array.FindIndex(claims, c => c is not null);
        Assert.True(winner >= 0, "no claim won");
        Assert.Single(claims, c => c is not null);
        Assert.Equal($"cpu:{winner}", (await lab.TrialAsync("a")).Device);
    }
}
