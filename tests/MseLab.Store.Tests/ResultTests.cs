using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>What a successful attempt leaves: epochs, checkpoints, test metrics and provenance.</summary>
public sealed class ResultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RecordEpoch_TwoEpochs_StoresEpochsInOrderAndKeepsTheLatestOfEachCheckpointKind()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(message);
        byte[] latest1 = [1, 1, 1], best1 = [2, 2], latest2 = [.. Enumerable.Range(0, 100_000).Select(i => (byte)i)];

        lab.Time.Advance(TimeSpan.FromMinutes(1));
        var first = Epoch(1, 0.9, validationMae: double.NaN);
        Assert.True(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 1), first, [Blob(CheckpointKind.Latest, 1, latest1), Blob(CheckpointKind.Best, 1, best1)], Ct));
        lab.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 1), Epoch(2, 0.7, validationMae: 0.3), [Blob(CheckpointKind.Latest, 2, latest2)], Ct));

        var epochs = await lab.Queries.EpochsAsync(SweepId, "a", Ct);
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.Equal((0.9, 1e-3, 1.5, 100.0), (epochs[0].TrainLoss, epochs[0].LearningRate, epochs[0].Seconds, epochs[0].SamplesPerSecond));
        Assert.True(double.IsNaN(epochs[0].Validation["mae"]));
        Assert.Equal(0.3, epochs[1].Validation["mae"]);
        var trial = await lab.TrialAsync("a");
        Assert.Equal((2, 0.7, TrialStatus.Running), (trial.Epoch, trial.TrainLoss, trial.Status));
        Assert.Equal(lab.Now, trial.HeartbeatAt);

        var latest = await lab.Checkpoints.GetAsync(SweepId, "a", CheckpointKind.Latest, Ct);
        Assert.NotNull(latest);
        Assert.Equal((CheckpointKind.Latest, 2), (latest.Kind, latest.Epoch));
        Assert.Equal(latest2, latest.Content);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(latest.Content)), latest.Sha256);
        var best = await lab.Checkpoints.GetAsync(SweepId, "a", CheckpointKind.Best, Ct);
        Assert.NotNull(best);
        Assert.Equal(1, best.Epoch);
        Assert.Equal(best1, best.Content);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(best.Content)), best.Sha256);
    }

    [Fact]
    public async Task RecordEpoch_SameEpochByTheResumedAttempt_ReplacesTheRow()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(message);
        Assert.True(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 1), Epoch(1, 0.9), [], Ct));
        var resumed = await lab.Leases.ReleaseAsync(new(SweepId, "a", 1), Ct);
        await lab.ClaimAsync(resumed!);

        Assert.True(await lab.Leases.RecordEpochAsync(new(SweepId, "a", 2), Epoch(1, 0.8), [], Ct));

        Assert.Equal(0.8, Assert.Single(await lab.Queries.EpochsAsync(SweepId, "a", Ct)).TrainLoss);
        await using var db = lab.Database.CreateContext();
        Assert.Equal(2, (await db.Epochs.SingleAsync(Ct)).Attempt);
    }

    [Fact]
    public async Task GetCheckpoint_NoneStored_ReturnsNull()
    {
        await using var lab = await TempStore.CreateAsync();
        await lab.SubmitAsync(Cell("a"));

        Assert.Null(await lab.Checkpoints.GetAsync(SweepId, "a", CheckpointKind.Latest, Ct));
    }

    [Fact]
    public async Task Complete_WithANaNMetric_StoresTheMetricsAndItReadsBackAsNaN()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.ClaimAsync(message);
        lab.Time.Advance(TimeSpan.FromMinutes(10));
        var test = new Dictionary<string, double> { ["mae"] = 0.61, ["corr"] = double.NaN, ["acc2"] = 0.8 };

        Assert.True(await lab.Leases.CompleteAsync(new(SweepId, "a", 1), Outcome(test, bestEpoch: 3), Ct));

        var row = Assert.Single(await lab.Queries.TrialsAsync(SweepId, cancellationToken: Ct));
        Assert.Equal((TrialStatus.Succeeded, 0.42), (row.Status, row.BestValidation));
        Assert.Equal(lab.Now, row.FinishedAt);
        Assert.Equal(["acc2", "corr", "mae"], row.Test.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0.61, row.Test["mae"]);
        Assert.Equal(0.8, row.Test["acc2"]);
        Assert.True(double.IsNaN(row.Test["corr"]), $"corr read back as {row.Test["corr"]}");
        var trial = await lab.TrialAsync("a");
        Assert.Equal((3, "max_epochs", 12.5), (trial.BestEpoch, trial.StoppedBy, trial.Seconds));
        await using var db = lab.Database.CreateContext();
        var provenance = await db.Provenance.SingleAsync(Ct);
        Assert.Equal(("abc123", "lab-1", 1234L, 56789L), (provenance.GitCommit, provenance.Host, provenance.TrainableParameters, provenance.BackboneParameters));
        Assert.True((await lab.Queries.SweepsAsync(SweepId, Ct))[0].Finished);
    }

    [Fact]
    public async Task Complete_SecondTimeForTheSameAttempt_ReturnsFalseAndKeepsTheFirstResult()
    {
        await using var lab = await TempStore.CreateAsync();
        var message = Assert.Single(await lab.SubmitAsync(Cell("a")));
        await lab.SucceedAsync(message, mae: 0.5);

        Assert.False(await lab.Leases.CompleteAsync(new(SweepId, "a", 1), Outcome(new Dictionary<string, double> { ["mae"] = 0.1 }), Ct));

        Assert.Equal(0.5, Assert.Single(await lab.Queries.TrialsAsync(SweepId, cancellationToken: Ct)).Test["mae"]);
    }
}
