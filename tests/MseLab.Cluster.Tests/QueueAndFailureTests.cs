using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;


namespace MseLab.Cluster.Tests;

/// <summary>Trials longer than the broker's acknowledgement timeout, failure classification, device fit and names.</summary>
public sealed class QueueAndFailureTests
{
    [Fact]
    public async Task TrialsLongerThanBrokerAckTimeout_AreNotRedelivered()
    {
        var timeoutMs = LabServices.ConsumerTimeoutMs;
        Assert.True(timeoutMs is > 0 and <= 30_000, "the test broker must run with a short ack timeout: start it with MSELAB_MQ_CONSUMER_TIMEOUT_MS=10000 (scripts/test.sh does) and loads the variables of `scripts/services.sh env`");
        var timeout = TimeSpan.FromMilliseconds(timeoutMs!.Value);
        using var lab = new Lab();
        var worker = await lab.StartWorkerAsync("host-a");

        // One device, two long cells: the first runs past the timeout while the second's message waits for the device.
        lab.Submit(lab.WriteSweep("long", seeds: "[1, 2]", epochs: 6, train: 640));
        var trials = await lab.WaitForEndAsync("long", TimeSpan.FromMinutes(5));
        Assert.All(trials, t => Assert.Equal((TrialStatus.Succeeded, 1), (t.Status, t.Attempt)));
        Assert.All(trials, t => Assert.True(t.FinishedAt - t.StartedAt > timeout, $"cell ran {(t.FinishedAt - t.StartedAt)?.TotalSeconds:0.0} s, not longer than the {timeout.TotalSeconds} s ack timeout"));
        var waited = trials.Max(t => t.StartedAt) - trials.Min(t => t.StartedAt);
        Assert.True(waited > timeout, "the second cell's message did not wait longer than the ack timeout");
        Assert.DoesNotContain(await lab.Store.AttemptsAsync("long", null, TestContext.Current.CancellationToken), a => a.Outcome != AttemptOutcome.Succeeded);
        Assert.DoesNotContain("PRECONDITION_FAILED", worker.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NanLoss_FailsAtOnceWithoutRetry_StatusShowsTheAttemptAndReason()
    {
        using var lab = new Lab();
        await lab.StartWorkerAsync("host-a");
        lab.Submit(lab.WriteSweep("nan", lr: "[1e30]"));
        var failed = Assert.Single(await lab.WaitForEndAsync("nan", TimeSpan.FromMinutes(2)));
        Assert.Equal((TrialStatus.Failed, 1), (failed.Status, failed.Attempt));
        var attempt = Assert.Single(await lab.Store.AttemptsAsync("nan", null, TestContext.Current.CancellationToken));
        Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
        Assert.Contains("Loss is NaN", attempt.Reason, StringComparison.Ordinal);

        var status = lab.Mselab("sweep", "status", "nan", "--cluster", lab.Profile);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("attempts that did not succeed", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Loss is NaN", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InfrastructureFault_RetriedWithBackoffUpToTheLimit_ThenFailedWithReason()
    {
        using var lab = new Lab();
        // The worker's runs folder is a file, so no trial folder can be made there (I/O error "Not a directory"): a fault
        // of the machine, not of the trial, so it is retried.
        var blocker = Path.Combine(lab.Directory, "runs-is-a-file");
        await File.WriteAllTextAsync(blocker, "", TestContext.Current.CancellationToken);
        await lab.StartWorkerAsync("host-a", "--runs", blocker);
        lab.Submit(lab.WriteSweep("broken-disk"));
        var failed = Assert.Single(await lab.WaitForEndAsync("broken-disk", TimeSpan.FromMinutes(2)));
        Assert.True((TrialStatus.Failed, 3) == (failed.Status, failed.Attempt), $"{failed.Status} at attempt {failed.Attempt}: {failed.Error}");
        var attempts = await lab.Store.AttemptsAsync("broken-disk", null, TestContext.Current.CancellationToken);
        Assert.Equal([AttemptOutcome.Retried, AttemptOutcome.Retried, AttemptOutcome.Failed], attempts.Select(a => a.Outcome));
        Assert.Contains("retry limit of 2 reached", attempts[2].Reason, StringComparison.Ordinal);
        // Backoff: 2 s before the second attempt, 4 s before the third.
        Assert.True(attempts[1].StartedAt - attempts[0].EndedAt >= TimeSpan.FromSeconds(1.9), $"second attempt after {attempts[1].StartedAt - attempts[0].EndedAt}");
        Assert.True(attempts[2].StartedAt - attempts[1].EndedAt >= TimeSpan.FromSeconds(3.9), $"third attempt after {attempts[2].StartedAt - attempts[1].EndedAt}");
    }

    [Fact]
    public async Task TrialsGoOnlyToDevicesWithEnoughMemory_AndAnUnfittableSweepIsRejectedAtSubmission()
    {
        using var lab = new Lab();
        await lab.StartWorkerAsync("small", "--devices", "cpu:0=1");
        await lab.StartWorkerAsync("large", "--devices", "cpu:0=8");

        lab.Submit(lab.WriteSweep("fits", seeds: "[1, 2, 3]", extra: "resources: {device: cpu, memory_gb: 4}"));
        var trials = await lab.WaitForEndAsync("fits", TimeSpan.FromMinutes(3));
        Assert.All(trials, t => Assert.Equal((TrialStatus.Succeeded, "large/cpu:0"), (t.Status, t.Device)));

        var rejected = lab.Mselab("sweep", "run", lab.WriteSweep("too-big", extra: "resources: {device: cpu, memory_gb: 64}"), "--cluster", lab.Profile, "--detach");
        Assert.Equal(2, rejected.ExitCode);
        Assert.Contains("at least 64 GB", rejected.StandardError, StringComparison.Ordinal);
        Assert.Contains("large/cpu:0 (8 GB)", rejected.StandardError, StringComparison.Ordinal);
        Assert.Empty(await lab.Store.SweepsAsync("too-big", TestContext.Current.CancellationToken));

        var cuda = lab.Mselab("sweep", "run", lab.WriteSweep("no-gpu", extra: "resources: {device: cuda, memory_gb: 1}"), "--cluster", lab.Profile, "--detach");
        Assert.Equal(2, cuda.ExitCode);
        Assert.Contains("need a cuda device", cuda.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondWorkerWithTheSameName_RefusesToStart()
    {
        using var lab = new Lab();
        await lab.StartWorkerAsync("host-a");
        var twin = new WorkerProcess(lab.Directory, "host-a", ["--profile", lab.Profile, "--host", "host-a", .. Lab.FastLease]);
        using (twin)
        {
            Assert.Equal(2, await twin.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("A worker named 'host-a' is already up", twin.Log, StringComparison.Ordinal);
        }

        var list = lab.Mselab("worker", "list", "--cluster", lab.Profile);
        Assert.Contains("host-a", list.StandardOutput, StringComparison.Ordinal);
    }
}
