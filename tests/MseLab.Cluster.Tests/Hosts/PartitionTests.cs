using System.Diagnostics;
using MseLab.Cli.Hosts;
using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Cluster.Tests.Hosts;

/// <summary>
/// Workers on hosts of their own (network namespaces) cut off mid-trial: the whole link, the broker alone, the database
/// alone. Each cell ends once, resumed from its checkpoint where it moved, with the results of an uninterrupted run, and
/// the worker that was cut off takes new work once it is back.
/// </summary>
public sealed class PartitionTests(UninterruptedRun uninterrupted) : IClassFixture<UninterruptedRun>
{
    // One sweep for every test here (each lab has its own database), so the uninterrupted run is made once.
    private const string Sweep = "partitioned";

    [Fact]
    public async Task LinkCutMidTrial_CellResumesOnAnotherHost_CutWorkerWritesNothingAndRejoinsForNewWork()
    {
        using var lab = new Lab(hosts: 2);
        var workers = await lab.StartWorkersAsync("host-a", "host-b");
        var sweep = lab.WriteSweep(Sweep, epochs: 4, train: 192);
        lab.Submit(sweep);
        var running = await lab.WaitForStoredEpochAsync(Sweep);
        var (cut, other) = Split(workers, running);

        var clock = Stopwatch.StartNew();
        lab.Hosts!.Cut(cut.On!);
        var taken = await WaitForAttempt2Async(lab);
        var requeued = clock.Elapsed;
        Assert.StartsWith(other.Host + "/", taken.Device, StringComparison.Ordinal);

        // Keep the link down until the cluster has declared the cut silo dead (probes every 2 s, 3 missed), so that it finds
        // out when it is back: it stops that silo without writing and joins again as a new generation.
        if (TimeSpan.FromSeconds(15) - clock.Elapsed is { Ticks: > 0 } rest)
        {
            await Task.Delay(rest, TestContext.Current.CancellationToken);
        }

        lab.Hosts.Heal(cut.On!);
        var healed = clock.Elapsed;
        await WaitForLogAsync(lab, cut, "Rejoined: silo generation 2", TimeSpan.FromSeconds(90));
        var rejoined = clock.Elapsed - healed;
        Assert.False(cut.HasExited);
        Assert.Contains("the cluster declared this worker dead", cut.Log, StringComparison.Ordinal);

        await AssertEndedOnceAsync(lab, sweep, taken, AttemptOutcome.Lost);
        await AssertTakesNewWorkAsync(lab, cut, other);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"link cut: requeued {Lab.Seconds(requeued)} s after the cut (lease 4 s), healed at {Lab.Seconds(healed)} s, rejoined {Lab.Seconds(rejoined)} s after the heal");
    }

    [Fact]
    public async Task BrokerCutFromTheRunningWorker_TrialGoesOnAndEndsOnce_WorkerTakesNewWorkOnceReconnected()
    {
        using var lab = new Lab(hosts: 1);
        var worker = await lab.StartWorkerAsync("host-a");
        var sweep = lab.WriteSweep(Sweep, epochs: 4, train: 192);
        lab.Submit(sweep);
        var running = await lab.WaitForStoredEpochAsync(Sweep);

        // A running trial needs the database (claim, epochs, heartbeats, result) and its own silo, never the broker: it goes
        // on and ends as the one attempt it was, with no one else taking it (its heartbeats keep the lease).
        lab.Hosts!.Block(worker.On!, LabServer.RabbitMq);
        var final = Assert.Single(await lab.WaitForEndAsync(Sweep, TimeSpan.FromMinutes(3)));
        lab.Hosts.Unblock(worker.On!, LabServer.RabbitMq);
        Assert.True((TrialStatus.Succeeded, 1, running.Device) == (final.Status, final.Attempt, final.Device), $"{final.Status} at attempt {final.Attempt} on {final.Device}\n{lab.Logs()}");
        var attempt = Assert.Single(await lab.Store.AttemptsAsync(Sweep, null, TestContext.Current.CancellationToken));
        Assert.Equal(AttemptOutcome.Succeeded, attempt.Outcome);
        Assert.Equal(await uninterrupted.ResultsAsync(sweep, Sweep), Results(lab));

        // Back on the broker (its connection recovered, or made anew), it consumes again.
        await AssertTakesNewWorkAsync(lab, worker, null);
    }

    [Fact]
    public async Task DatabaseCutFromTheRunningWorker_CellResumesElsewhere_WorkerToldItLostTheCellWritesNothingAndTakesNewWork()
    {
        using var lab = new Lab(hosts: 2);
        var workers = await lab.StartWorkersAsync("host-a", "host-b");
        var sweep = lab.WriteSweep(Sweep, epochs: 4, train: 192);
        lab.Submit(sweep);
        var running = await lab.WaitForStoredEpochAsync(Sweep);
        var (cut, other) = Split(workers, running);

        // Its heartbeats and epoch reports wait (the store writer retries): the lease runs out and another worker resumes the
        // cell. Orleans and the broker still reach it, so its silo lives on.
        var clock = Stopwatch.StartNew();
        lab.Hosts!.Block(cut.On!, LabServer.Postgres);
        var taken = await WaitForAttempt2Async(lab);
        var requeued = clock.Elapsed;
        Assert.StartsWith(other.Host + "/", taken.Device, StringComparison.Ordinal);
        lab.Hosts.Unblock(cut.On!, LabServer.Postgres);

        // The writes it kept are refused by the attempt guards; its next heartbeat is told another attempt owns the cell.
        await WaitForLogAsync(lab, cut, "the store says another attempt owns the cell now", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("Silo generation 1 is over", cut.Log, StringComparison.Ordinal);
        await AssertEndedOnceAsync(lab, sweep, taken, AttemptOutcome.Lost);
        await AssertTakesNewWorkAsync(lab, cut, other);
        TestContext.Current.TestOutputHelper?.WriteLine($"database cut: requeued {Lab.Seconds(requeued)} s after the cut (lease 4 s)");
    }

    private static (WorkerProcess Running, WorkerProcess Other) Split(WorkerProcess[] workers, TrialRow running)
    {
        var owner = workers.Single(w => running.Device!.StartsWith(w.Host + "/", StringComparison.Ordinal));
        return (owner, workers.Single(w => w != owner));
    }

    private static Task<string> WaitForLogAsync(Lab lab, WorkerProcess worker, string text, TimeSpan timeout) =>
        lab.WaitForAsync(() => Task.FromResult(worker.Log.Contains(text, StringComparison.Ordinal) ? text : null), timeout, $"worker {worker.Host} to log '{text}'");

    private static Task<TrialRow> WaitForAttempt2Async(Lab lab) =>
        lab.WaitForAsync(
            async () => (await lab.TrialsAsync(Sweep)).SingleOrDefault(t => t.Attempt == 2 && t.Status is TrialStatus.Running or TrialStatus.Succeeded),
            TimeSpan.FromSeconds(90), "another worker to resume the cell as attempt 2", poll: TimeSpan.FromMilliseconds(100));

    // Ends once, as attempt 2 where it was taken: attempt 1 lost (nothing of it after the takeover), attempt 2 succeeded,
    // the epochs before the takeover those of attempt 1, and the metrics those of an uninterrupted run.
    private async Task AssertEndedOnceAsync(Lab lab, string sweep, TrialRow taken, AttemptOutcome first)
    {
        var final = Assert.Single(await lab.WaitForEndAsync(Sweep, TimeSpan.FromMinutes(3)));
        Assert.True((TrialStatus.Succeeded, 2, taken.Device) == (final.Status, final.Attempt, final.Device), $"{final.Status} at attempt {final.Attempt} on {final.Device}\n{lab.Logs()}");
        Assert.Equal(
            [(1, first), (2, AttemptOutcome.Succeeded)],
            (await lab.Store.AttemptsAsync(Sweep, null, TestContext.Current.CancellationToken)).Select(a => (a.Attempt, a.Outcome)));
        var writers = await lab.Store.EpochAttemptsAsync(Sweep, final.Key, TestContext.Current.CancellationToken);
        Assert.True(
            writers.Count == 4 && writers[1] == 1,
            $"epochs by attempt: {string.Join(", ", writers.Select(e => $"{e.Key}:{e.Value}"))}; taken at epoch {taken.Epoch}\n{lab.Logs()}");
        Assert.All(writers.Where(e => e.Key > taken.Epoch), e => Assert.Equal(2, e.Value));
        Assert.Equal(await uninterrupted.ResultsAsync(sweep, Sweep), Results(lab));
    }

    // With the other worker drained (it exits), a new sweep can only run on the worker that was cut off.
    private static async Task AssertTakesNewWorkAsync(Lab lab, WorkerProcess worker, WorkerProcess? other)
    {
        if (other is not null)
        {
            var drain = lab.Mselab("worker", "drain", other.Host, "--cluster", lab.Profile);
            Assert.True(drain.ExitCode == 0, drain.StandardOutput + drain.StandardError + lab.Logs());
            Assert.Equal(0, await other.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        lab.Submit(lab.WriteSweep("afterwards", epochs: 1));
        var next = Assert.Single(await lab.WaitForEndAsync("afterwards", TimeSpan.FromMinutes(2)));
        Assert.Equal(TrialStatus.Succeeded, next.Status);
        Assert.StartsWith(worker.Host + "/", next.Device, StringComparison.Ordinal);
    }

    private static string Results(Lab lab) => lab.Mselab("results", "--sweep", Sweep, "--format", "json", "--cluster", lab.Profile).StandardOutput;
}
