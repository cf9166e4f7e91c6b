using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;


namespace MseLab.Cluster.Tests;

/// <summary>
/// The broker, the database and the membership server each stopped and restarted mid-sweep: the sweep completes with
/// every cell succeeded exactly once, and the workers say in their logs that they lost and regained the service.
/// </summary>
public sealed class InfrastructureRestartTests
{
    [Theory]
    [InlineData("rabbitmq")]
    [InlineData("postgres")]
    [InlineData("redis")]
    public async Task ServiceRestartedMidSweep_SweepCompletes_NothingLostOrDuplicated(string service)
    {
        using var lab = new Lab();
        var workers = new[] { await lab.StartWorkerAsync("host-a"), await lab.StartWorkerAsync("host-b"), await lab.StartWorkerAsync("host-c") };
        lab.Submit(lab.WriteSweep("restart", seeds: "[1, 2, 3, 4, 5, 6]", epochs: 3, train: 128));
        await lab.WaitForAsync(
            async () =>
            {
                var trials = await lab.TrialsAsync("restart");
                return trials.Any(t => t.Status == TrialStatus.Succeeded) && trials.Any(t => t.Status == TrialStatus.Running) ? trials : null;
            },
            TimeSpan.FromMinutes(3), "one cell done and others running");

        try
        {
            LabServices.Run("stop", service);
            await Task.Delay(TimeSpan.FromSeconds(6), TestContext.Current.CancellationToken);
        }
        finally
        {
            LabServices.Run("start", service);
        }

        var trials = await lab.WaitForEndAsync("restart", TimeSpan.FromMinutes(5));
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.True(t.Status == TrialStatus.Succeeded, $"{t.Key} {t.Status}: {t.Error}\n{lab.Logs()}"));
        Assert.All(trials, t => Assert.NotEmpty(t.Test));
        var attempts = await lab.Store.AttemptsAsync("restart", null, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(attempts, a => a.Outcome == AttemptOutcome.Failed);
        Assert.All(trials, t => Assert.Single(attempts, a => a.TrialKey == t.Key && a.Outcome == AttemptOutcome.Succeeded));
        Assert.All(workers, w => Assert.False(w.HasExited, $"worker {w.Host} exited:\n{w.Log}"));
        var said = service switch
        {
            "postgres" => "Results store unreachable",
            "rabbitmq" => "RabbitMQ",
            _ => "Redis",
        };
        Assert.True(workers.Any(w => w.Log.Contains(said, StringComparison.OrdinalIgnoreCase)), $"no worker logged '{said}':\n{lab.Logs()}");
    }
}
