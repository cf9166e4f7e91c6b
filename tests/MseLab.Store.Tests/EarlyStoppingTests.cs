using MseLab.Experiments.EarlyStopping;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>
/// Early stopping across trials in the store: seeds pause at a rung until their group is there, a losing group ends Pruned
/// with its checkpoints kept, and ASHA later promotes it (queued again as its next attempt, claimable, resumed from the
/// checkpoint). Four epochs per cell, rungs at 1 and 3.
/// </summary>
public sealed class EarlyStoppingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Dictionary<string, QueuedCell>> SubmitAsync(TempStore lab, EarlyStoppingRule? rule, params string[] groups)
    {
        var cells = groups.SelectMany(g => new[] { Cell(g + "1", seedGroup: g, seed: 1), Cell(g + "2", seedGroup: g, seed: 2) }).ToList();
        var outcome = await lab.Sweeps.SubmitAsync(Sweep(cells) with { EarlyStopping = rule }, rerunFailed: false, Ct);
        return outcome.Dispatch.ToDictionary(c => c.Key);
    }

    private static async Task<EpochVerdict> EpochAsync(TempStore lab, QueuedCell cell, int epoch, double mae, bool claim = true)
    {
        if (claim)
        {
            await lab.ClaimAsync(cell);
        }

        return await lab.Leases.ReportEpochAsync(cell.Lease, Epoch(epoch, 1.0, validationMae: mae), [Blob(CheckpointKind.Latest, epoch, [(byte)epoch, 7])], Ct);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Asha_LosingGroupEndsPrunedWithItsCheckpoint_AndIsResumedWhenPromoted(string provider)
    {
        await using var lab = provider == "postgres" ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        var cells = await SubmitAsync(lab, new EarlyStoppingRule(EarlyStoppingMethod.Asha, "mae", GraceEpochs: 1, ReductionFactor: 2), "a", "b", "c", "d");

        // a: its first seed waits at the rung for the second; then the group (alone there) goes on, and the first resumes.
        var waiting = await EpochAsync(lab, cells["a1"], 1, 0.5);
        Assert.Equal(EpochDecision.Pruned, waiting.Decision);
        Assert.Contains("1 of 2 seeds", waiting.Reason, StringComparison.Ordinal);
        Assert.Equal(TrialStatus.Pruned, (await lab.TrialAsync("a1")).Status);
        var a = await EpochAsync(lab, cells["a2"], 1, 0.5);
        Assert.Equal(EpochDecision.Continue, a.Decision);
        var resumed = Assert.Single(a.Promoted);
        Assert.Equal(("a1", 2), (resumed.Key, resumed.Attempt));

        // b is worse than a (one of two goes on): both seeds end Pruned at epoch 1, each with its checkpoint.
        await EpochAsync(lab, cells["b1"], 1, 0.9);
        var b = await EpochAsync(lab, cells["b2"], 1, 0.7);
        Assert.Equal(EpochDecision.Pruned, b.Decision);
        Assert.Contains("asha", b.Reason, StringComparison.Ordinal);
        Assert.Empty(b.Promoted);
        foreach (var key in new[] { "b1", "b2" })
        {
            var trial = await lab.TrialAsync(key);
            Assert.Equal((TrialStatus.Pruned, 1, 1), (trial.Status, trial.Attempt, trial.Epoch));
            Assert.Equal(1, (await lab.Checkpoints.GetAsync(SweepId, key, CheckpointKind.Latest, Ct))!.Epoch);
        }

        Assert.Equal(AttemptOutcome.Pruned, (await lab.Queries.AttemptsAsync(SweepId, "b2", Ct)).Single().Outcome);

        // c (worse still) is pruned; with d the rung holds four groups and keeps two: b, the second best, is promoted.
        await EpochAsync(lab, cells["c1"], 1, 1.0);
        Assert.Equal(EpochDecision.Pruned, (await EpochAsync(lab, cells["c2"], 1, 1.0)).Decision);
        await EpochAsync(lab, cells["d1"], 1, 1.2);
        var d = await EpochAsync(lab, cells["d2"], 1, 1.2);
        Assert.Equal(EpochDecision.Pruned, d.Decision);
        Assert.Equal(["b1", "b2"], d.Promoted.Select(c => c.Key).Order(StringComparer.Ordinal));

        var summary = (await lab.Queries.SweepsAsync(SweepId, Ct)).Single();
        // Queued: a1 (promoted with a), b1 and b2; running: a2; pruned: c and d.
        Assert.Equal((3, 1, 4, 8), (summary.Queued, summary.Running, summary.Pruned, summary.Total));
        Assert.False(summary.Finished);

        // The promoted cell runs its next attempt from the kept checkpoint: claimable, epoch 2 stored under attempt 2 (a rung
        // with η = 2, where it waits for b2 in turn).
        var b1 = d.Promoted.Single(c => c.Key == "b1");
        Assert.Equal(2, b1.Attempt);
        Assert.Equal(1, (await lab.Checkpoints.GetAsync(SweepId, "b1", CheckpointKind.Latest, Ct))!.Epoch);
        var next = await EpochAsync(lab, b1, 2, 0.6);
        Assert.Equal(EpochDecision.Pruned, next.Decision);
        Assert.Contains("paused at epoch 2", next.Reason, StringComparison.Ordinal);
        var stored = await lab.TrialAsync("b1");
        Assert.Equal((TrialStatus.Pruned, 2, 2), (stored.Status, stored.Attempt, stored.Epoch));
        Assert.Equal(2, (await lab.Queries.EpochAttemptsAsync(SweepId, "b1", Ct))[2]);
    }

    [Fact]
    public async Task Median_StopsAGroupWorseThanTheOthersMedian_AndNeverPromotesIt()
    {
        await using var lab = await TempStore.CreateAsync();
        var cells = await SubmitAsync(lab, new EarlyStoppingRule(EarlyStoppingMethod.Median, "mae", GraceEpochs: 1, ReductionFactor: 3), "a", "b", "c", "d");

        foreach (var (group, mae) in new[] { ("a", 0.5), ("b", 0.3) })
        {
            await EpochAsync(lab, cells[group + "1"], 1, mae);
            Assert.Equal(EpochDecision.Continue, (await EpochAsync(lab, cells[group + "2"], 1, mae)).Decision);   // fewer than two others
        }

        // c's mean (0.5 and 0.7: 0.6) is worse than the median of a and b (0.4): pruned; d (0.35) goes on, c stays stopped.
        await EpochAsync(lab, cells["c1"], 1, 0.5);
        var c = await EpochAsync(lab, cells["c2"], 1, 0.7);
        Assert.Equal(EpochDecision.Pruned, c.Decision);
        Assert.Contains("median", c.Reason, StringComparison.Ordinal);
        await EpochAsync(lab, cells["d1"], 1, 0.35);
        var d = await EpochAsync(lab, cells["d2"], 1, 0.35);
        Assert.Equal(EpochDecision.Continue, d.Decision);
        Assert.Equal(["d1"], d.Promoted.Select(p => p.Key));
        Assert.Equal((TrialStatus.Pruned, TrialStatus.Pruned), ((await lab.TrialAsync("c1")).Status, (await lab.TrialAsync("c2")).Status));
    }

    [Fact]
    public async Task NoRule_EveryEpochGoesOn_AndARungIsNothingSpecial()
    {
        await using var lab = await TempStore.CreateAsync();
        var cells = await SubmitAsync(lab, rule: null, "a", "b");

        Assert.Equal(EpochDecision.Continue, (await EpochAsync(lab, cells["a1"], 1, 0.9)).Decision);
        Assert.Equal(EpochDecision.Continue, (await EpochAsync(lab, cells["a1"], 3, 0.9, claim: false)).Decision);
        Assert.Equal(0, (await lab.Queries.SweepsAsync(SweepId, Ct)).Single().Pruned);
    }

    [Fact]
    public async Task Resubmitting_KeepsPrunedCellsPruned()
    {
        await using var lab = await TempStore.CreateAsync();
        var rule = new EarlyStoppingRule(EarlyStoppingMethod.Asha, "mae", GraceEpochs: 1, ReductionFactor: 3);
        var cells = await SubmitAsync(lab, rule, "a");
        await EpochAsync(lab, cells["a1"], 1, 0.5);

        var again = await SubmitAsync(lab, rule, "a");

        Assert.Equal(["a2"], again.Keys);
        Assert.Equal(TrialStatus.Pruned, (await lab.TrialAsync("a1")).Status);
    }

    [Fact]
    public async Task Heartbeat_OfAPrunedAttempt_SaysPrunedNotLost()
    {
        await using var lab = await TempStore.CreateAsync();
        var cells = await SubmitAsync(lab, new EarlyStoppingRule(EarlyStoppingMethod.Asha, "mae", GraceEpochs: 1, ReductionFactor: 3), "a");
        await EpochAsync(lab, cells["a1"], 1, 0.5);

        Assert.Equal(HeartbeatReply.Pruned, await lab.Leases.HeartbeatAsync(cells["a1"].Lease, 1, 0.9, Ct));
        Assert.Equal(HeartbeatReply.Lost, await lab.Leases.HeartbeatAsync(cells["a2"].Lease, 1, 0.9, Ct));   // never claimed
    }

    [Fact]
    public async Task SeedFailingForGood_CompletesItsGroupAtTheRung_WhichIsJudgedWithoutIt()
    {
        await using var lab = await TempStore.CreateAsync();
        var cells = await SubmitAsync(lab, new EarlyStoppingRule(EarlyStoppingMethod.Asha, "mae", GraceEpochs: 1, ReductionFactor: 3), "a");
        await EpochAsync(lab, cells["a1"], 1, 0.5);   // waits for a2
        await lab.ClaimAsync(cells["a2"]);

        Assert.Null(await lab.Leases.FailAsync(cells["a2"].Lease, "Loss is NaN at epoch 1", FailureClass.Permanent, Ct));

        // a is alone at the rung with a1's mean: it goes on, a1 queued again (flagged for the lease sweeper to send).
        var a1 = await lab.TrialAsync("a1");
        Assert.Equal((TrialStatus.Queued, 2, true), (a1.Status, a1.Attempt, a1.DispatchPending));
    }
}
