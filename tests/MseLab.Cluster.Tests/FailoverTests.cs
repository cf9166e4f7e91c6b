using System.Diagnostics;
using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using MseLab.TestSupport;

namespace MseLab.Cluster.Tests;

/// <summary>
/// Workers that die, pause or drain mid-trial: the cell moves to another worker, resumes from its checkpoint and ends once.
/// The kill and the drain run each worker on a lab host of its own (a network namespace, advertising its address); the
/// pause stays on loopback (a stopped process is the same on any address).
/// </summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task WorkerKilledMidTrial_CellResumesElsewhereWithinTenSeconds_MetricsEqualUninterruptedRun()
    {
        using var lab = new Lab(hosts: 3);   // each worker on a host of its own, reached at its advertised address
        var workers = new[] { await lab.StartWorkerAsync("host-a"), await lab.StartWorkerAsync("host-b"), await lab.StartWorkerAsync("host-c") };
        var sweep = lab.WriteSweep("killed", epochs: 4, train: 192);
        lab.Submit(sweep);

        // Kill the worker once the cell has a stored epoch checkpoint to resume from.
        var running = await lab.WaitForStoredEpochAsync("killed");
        var victim = workers.Single(w => running.Device!.StartsWith(w.Host + "/", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();
        victim.Kill();
        var resumed = await lab.WaitForAsync(
            async () => (await lab.TrialsAsync("killed")).SingleOrDefault(t => t.Attempt == 2 && t.Status is TrialStatus.Running or TrialStatus.Succeeded),
            TimeSpan.FromSeconds(30), "attempt 2 to start", poll: TimeSpan.FromMilliseconds(100));
        var rerunAfter = clock.Elapsed;
        Assert.True(rerunAfter < TimeSpan.FromSeconds(10), $"the cell ran again {Lab.Seconds(rerunAfter)} s after the kill (aim: under 10 s)");
        Assert.False(resumed.Device!.StartsWith(victim.Host + "/", StringComparison.Ordinal));

        var final = Assert.Single(await lab.WaitForEndAsync("killed", TimeSpan.FromMinutes(3)));
        Assert.Equal(TrialStatus.Succeeded, final.Status);
        var attempts = await lab.Store.AttemptsAsync("killed", null, TestContext.Current.CancellationToken);
        Assert.Collection(
            attempts,
            lost =>
            {
                Assert.Equal((1, AttemptOutcome.Lost), (lost.Attempt, lost.Outcome));
                Assert.Contains("no heartbeat from " + running.Device, lost.Reason, StringComparison.Ordinal);
            },
            won => Assert.Equal((2, AttemptOutcome.Succeeded), (won.Attempt, won.Outcome)));
        // Resumed, not restarted: the epochs before the kill are still those attempt 1 wrote.
        var writers = await lab.Store.EpochAttemptsAsync("killed", final.Key, TestContext.Current.CancellationToken);
        Assert.Equal(4, writers.Count);
        Assert.Equal(1, writers[1]);
        Assert.Equal(2, writers[4]);

        // The same cell without interruption, on the embedded default: the metrics must be identical.
        var reference = Path.Combine(lab.Directory, "reference");
        Directory.CreateDirectory(reference);
        File.Copy(sweep, Path.Combine(reference, "killed.yaml"));
        var embedded = ChildProcess.Run(Path.Combine(AppContext.BaseDirectory, "mselab"), ["sweep", "run", "killed.yaml", "--workers", "1"], timeout: TimeSpan.FromMinutes(3), workingDirectory: reference);
        Assert.True(embedded.ExitCode == 0, embedded.StandardOutput + embedded.StandardError);
        var expected = ChildProcess.Run(Path.Combine(AppContext.BaseDirectory, "mselab"), ["results", "--sweep", "killed", "--format", "json"], workingDirectory: reference);
        var actual = lab.Mselab("results", "--sweep", "killed", "--format", "json", "--cluster", lab.Profile);
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
    }

    [Fact]
    public async Task PausedWorkerDeclaredDead_ThenResumed_CannotWriteForTheAttemptTakenFromIt()
    {
        using var lab = new Lab();
        var workers = new[] { await lab.StartWorkerAsync("host-a"), await lab.StartWorkerAsync("host-b"), await lab.StartWorkerAsync("host-c") };
        lab.Submit(lab.WriteSweep("fenced", epochs: 4, train: 192));
        var running = await lab.WaitForStoredEpochAsync("fenced");
        var paused = workers.Single(w => running.Device!.StartsWith(w.Host + "/", StringComparison.Ordinal));
        paused.Signal("STOP");
        var taken = await lab.WaitForAsync(
            async () => (await lab.TrialsAsync("fenced")).SingleOrDefault(t => t.Attempt == 2 && t.Status == TrialStatus.Running),
            TimeSpan.FromSeconds(30), "another worker to take the cell");
        Assert.False(taken.Device!.StartsWith(paused.Host + "/", StringComparison.Ordinal));

        // The paused worker wakes up mid-epoch, still believing it runs attempt 1. Its next store write is refused and it
        // stops (or Orleans, which declared its silo dead meanwhile, tells it so, and it stops that silo and joins again as a
        // new one): either way nothing it computed after the takeover gets in.
        paused.Signal("CONT");
        await lab.WaitForAsync(
            () => Task.FromResult<object?>(
                paused.Log.Contains("another attempt owns the cell now", StringComparison.Ordinal) || paused.Log.Contains("Silo generation 1 is over", StringComparison.Ordinal)
                    ? new object() : null),
            TimeSpan.FromSeconds(60), "the resumed worker to find its attempt taken");
        var final = Assert.Single(await lab.WaitForEndAsync("fenced", TimeSpan.FromMinutes(3)));
        Assert.Equal((TrialStatus.Succeeded, 2, taken.Device), (final.Status, final.Attempt, final.Device));
        var writers = await lab.Store.EpochAttemptsAsync("fenced", final.Key, TestContext.Current.CancellationToken);
        Assert.Equal(4, writers.Count);
        Assert.All(writers.Where(e => e.Key > taken.Epoch), e => Assert.Equal(2, e.Value));
        Assert.Equal([AttemptOutcome.Lost, AttemptOutcome.Succeeded], (await lab.Store.AttemptsAsync("fenced", null, TestContext.Current.CancellationToken)).Select(x => x.Outcome));
    }

    [Fact]
    public async Task WorkerDrained_RunningCellCheckpointsAndResumesOnAnotherWorker()
    {
        using var lab = new Lab(hosts: 2);   // the drain goes from the client, here, to the worker's gateway on its host
        var workers = new[] { await lab.StartWorkerAsync("host-a"), await lab.StartWorkerAsync("host-b") };
        lab.Submit(lab.WriteSweep("drained", epochs: 10, train: 384));
        var running = await lab.WaitForStoredEpochAsync("drained");
        var drained = workers.Single(w => running.Device!.StartsWith(w.Host + "/", StringComparison.Ordinal));
        var other = workers.Single(w => w != drained);

        var drain = lab.Mselab("worker", "drain", drained.Host, "--cluster", lab.Profile);
        Assert.True(drain.ExitCode == 0, drain.StandardOutput + drain.StandardError + lab.Logs());
        Assert.Equal(0, await drained.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var final = Assert.Single(await lab.WaitForEndAsync("drained", TimeSpan.FromMinutes(3)));
        Assert.True((TrialStatus.Succeeded, 2) == (final.Status, final.Attempt), $"{final.Status} at attempt {final.Attempt}\n{lab.Logs()}");
        Assert.StartsWith(other.Host + "/", final.Device, StringComparison.Ordinal);
        var handedBack = (await lab.Store.AttemptsAsync("drained", null, TestContext.Current.CancellationToken))[0];
        Assert.Equal(AttemptOutcome.HandedBack, handedBack.Outcome);
        Assert.Equal(WorkerState.Stopped, (await lab.Workers.ListAsync(TestContext.Current.CancellationToken)).Single(w => w.Host == drained.Host).State);
    }
}
