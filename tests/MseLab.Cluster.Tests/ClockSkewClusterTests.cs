using System.Diagnostics;
using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Cluster.Tests;

/// <summary>
/// Leases on one clock, with real worker processes whose clocks are 5 minutes fast and slow (<c>Worker:ClockOffsetSeconds</c>):
/// no live trial is taken from its worker, and a dead worker's cell is taken back within the lease.
/// </summary>
public sealed class ClockSkewClusterTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkersFiveMinutesFastAndSlow_RunASweep_NoTrialIsTakenFromItsWorker()
    {
        using var lab = new Lab();
        var fast = await lab.StartSkewedWorkerAsync("host-fast", Skew);
        var slow = await lab.StartSkewedWorkerAsync("host-slow", -Skew);
        await lab.StartWorkerAsync("host-true");
        // Six short cells; each lasts longer than a lease sweep period, so a worker trusting its own clock would take them.
        lab.Submit(lab.WriteSweep("skewed", seeds: "[1, 2, 3]", lr: "[5e-3, 1e-3]"));

        var trials = await lab.WaitForEndAsync("skewed", TimeSpan.FromMinutes(3));

        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.True((TrialStatus.Succeeded, 1) == (t.Status, t.Attempt), $"{t.Key}: {t.Status} at attempt {t.Attempt}\n{lab.Logs()}"));
        var attempts = await lab.Store.AttemptsAsync("skewed", null, Ct);
        Assert.Equal(6, attempts.Count);
        Assert.All(attempts, a => Assert.Equal((1, AttemptOutcome.Succeeded), (a.Attempt, a.Outcome)));
        // The workers did see their clocks off, and said that leases do not depend on them.
        Assert.Contains("s ahead of the database's", fast.Log, StringComparison.Ordinal);
        Assert.Contains("s behind the database's", slow.Log, StringComparison.Ordinal);
        foreach (var line in (fast.Log + slow.Log).Split('\n').Where(l => l.Contains("Store clock:", StringComparison.Ordinal)))
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }
    }

    [Fact]
    public async Task SkewedWorkerKilledMidTrial_SkewedSurvivorRunsTheCellAgainWithinTenSeconds()
    {
        using var lab = new Lab();
        // Whichever runs the cell is killed, and the survivor's clock is ten minutes from the victim's.
        var workers = new[] { await lab.StartSkewedWorkerAsync("host-fast", Skew), await lab.StartSkewedWorkerAsync("host-slow", -Skew) };
        lab.Submit(lab.WriteSweep("skew-killed", epochs: 4, train: 192));

        var running = await lab.WaitForStoredEpochAsync("skew-killed");
        var victim = workers.Single(w => running.Device!.StartsWith(w.Host + "/", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();
        victim.Kill();
        var resumed = await lab.WaitForAsync(
            async () => (await lab.TrialsAsync("skew-killed")).SingleOrDefault(t => t.Attempt == 2 && t.Status is TrialStatus.Running or TrialStatus.Succeeded),
            TimeSpan.FromSeconds(30), "attempt 2 to start", poll: TimeSpan.FromMilliseconds(100));
        var rerunAfter = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"killed {victim.Host}; the cell ran again on {resumed.Device} {Lab.Seconds(rerunAfter)} s later");

        Assert.True(rerunAfter < TimeSpan.FromSeconds(10), $"the cell ran again {Lab.Seconds(rerunAfter)} s after the kill of {victim.Host} (aim: under 10 s)");
        Assert.False(resumed.Device!.StartsWith(victim.Host + "/", StringComparison.Ordinal));
        var final = Assert.Single(await lab.WaitForEndAsync("skew-killed", TimeSpan.FromMinutes(3)));
        Assert.Equal((TrialStatus.Succeeded, 2), (final.Status, final.Attempt));
        var attempts = await lab.Store.AttemptsAsync("skew-killed", null, Ct);
        Assert.Equal([(1, AttemptOutcome.Lost), (2, AttemptOutcome.Succeeded)], attempts.Select(a => (a.Attempt, a.Outcome)));
        Assert.Contains("no heartbeat from " + running.Device, attempts[0].Reason, StringComparison.Ordinal);
        // Resumed from attempt 1's checkpoint, not restarted.
        Assert.Equal(1, (await lab.Store.EpochAttemptsAsync("skew-killed", final.Key, Ct))[1]);
    }
}
