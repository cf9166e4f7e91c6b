using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

public sealed class DeleteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<bool> Providers => [false, true];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Delete_FinishedSweep_RemovesEveryRowOfItAndNothingOfAnother(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        var cells = await lab.SubmitAsync(Cell("a"), Cell("b"));
        await lab.SucceedAsync(cells[0], mae: 0.5);
        await lab.ClaimAsync(cells[1]);
        Assert.True(await lab.Leases.RecordEpochAsync(cells[1].Lease, Epoch(1, 0.9), [Blob(CheckpointKind.Latest, 1, [1, 2])], Ct));
        Assert.NotNull(await lab.Leases.FailAsync(cells[1].Lease, "flaky", FailureClass.Transient, Ct));
        var other = Assert.Single((await lab.Sweeps.SubmitAsync(Sweep([Cell("a")], id: "other"), rerunFailed: false, Ct)).Dispatch);
        await lab.SucceedAsync(other, mae: 0.7);

        Assert.True(await lab.Sweeps.DeleteAsync(SweepId, Ct));

        await using var db = lab.Database.CreateContext();
        Assert.Equal(["other"], await db.Sweeps.Select(s => s.Id).ToListAsync(Ct));
        Assert.Equal(
            (1, 1, 1, 1, 0, 0),
            (await db.Trials.CountAsync(Ct), await db.Attempts.CountAsync(Ct), await db.Provenance.CountAsync(Ct), await db.TestMetrics.CountAsync(Ct),
                await db.Epochs.CountAsync(Ct), await db.Checkpoints.CountAsync(Ct)));
        Assert.False(await lab.Sweeps.DeleteAsync(SweepId, Ct));
    }

    [Fact]
    public async Task Delete_SweepWithARunningCell_IsRefusedAndKeepsEverything()
    {
        await using var lab = await TempStore.CreateAsync();
        await lab.ClaimAsync(Assert.Single(await lab.SubmitAsync(Cell("a"))));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => lab.Sweeps.DeleteAsync(SweepId, Ct));

        Assert.Contains("mselab sweep cancel", refused.Message, StringComparison.Ordinal);
        Assert.Equal(TrialStatus.Running, (await lab.TrialAsync("a")).Status);
    }

    [Fact]
    public async Task Forget_RegisteredWorker_RemovesOnlyItsRow()
    {
        await using var lab = await TempStore.CreateAsync();
        await lab.Workers.RegisterAsync("w1", [], Ct);
        await lab.Workers.RegisterAsync("w2", [], Ct);

        Assert.True(await lab.Workers.ForgetAsync("w1", Ct));

        Assert.Equal(["w2"], (await lab.Workers.ListAsync(Ct)).Select(w => w.Host));
        Assert.False(await lab.Workers.ForgetAsync("w1", Ct));
    }
}
