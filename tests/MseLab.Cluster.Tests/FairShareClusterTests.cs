using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MseLab.Cluster.Client;
using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Cluster.Tests;

/// <summary>
/// Fair share between users on real worker processes, RabbitMQ and Postgres: Alice submits 200 sleep trials, Bob 50 a
/// moment later. Bob's trials start within one trial's length of his submission, and while both have cells waiting the
/// two get the devices' time in equal shares (within 10%).
/// </summary>
/// <remarks>
/// The lab's fair-share window is one trial long: what Alice used alone before Bob came (under load, several seconds on
/// all devices) is then not paid back to Bob, so the share while both wait is the policy's alone. That history counts,
/// and how, is the store tests' part (<c>FairShareTests</c>).
/// </remarks>
public sealed class FairShareClusterTests
{
    private const double TrialSeconds = 1.5;
    private const int DevicesPerWorker = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoUsers_LaterOneStartsWithinATrialAndTheyShareDevicesEqually()
    {
        using var lab = new Lab();
        var profile = JsonNode.Parse(await File.ReadAllTextAsync(lab.Profile, Ct))!;
        profile["Cluster"]!["FairShare"] = new JsonObject { ["WindowSeconds"] = TrialSeconds };
        await File.WriteAllTextAsync(lab.Profile, profile.ToJsonString(), Ct);
        await Task.WhenAll(
            lab.StartSleepWorkerAsync("host-a", TrialSeconds, DevicesPerWorker),
            lab.StartSleepWorkerAsync("host-b", TrialSeconds, DevicesPerWorker));
        using var client = await ClientAsync(lab);
        var submitter = client.Services.GetRequiredService<SweepSubmitter>();

        await submitter.SubmitAsync(Sweep("alice-sweep", 200), rerunFailed: false, "alice", Ct);
        await lab.WaitForAsync(
            async () => (await lab.TrialsAsync("alice-sweep")).Any(t => t.StartedAt is not null) ? new object() : null, TimeSpan.FromSeconds(30), "Alice's first trial to start");
        await Task.Delay(TimeSpan.FromSeconds(TrialSeconds / 3), Ct);
        var bobSubmitted = DateTime.UtcNow;
        await submitter.SubmitAsync(Sweep("bob-sweep", 50), rerunFailed: false, "bob", Ct);
        var bob = await lab.WaitForAsync(
            async () => await lab.TrialsAsync("bob-sweep") is var cells && cells.All(t => t.StartedAt is not null) ? cells : null,
            TimeSpan.FromMinutes(2), "every one of Bob's trials to start");
        var alice = await lab.TrialsAsync("alice-sweep");
        await new SweepSubmissions(lab.Database, new StoreClock(lab.Database)).CancelAsync("alice-sweep", Ct);   // the rest would only take time

        var firstStart = bob.Min(t => t.StartedAt!.Value);
        Assert.True(
            (firstStart - bobSubmitted).TotalSeconds <= TrialSeconds,
            $"Bob's first trial started {(firstStart - bobSubmitted).TotalSeconds:0.00} s after his submission (a trial takes {TrialSeconds} s)\n{lab.Logs()}");

        // Both wait from Bob's submission until his last cell starts; Alice still has cells queued then (200 > 50).
        var end = bob.Max(t => t.StartedAt!.Value);
        Assert.Contains(alice, t => t.StartedAt is null || t.StartedAt > end);
        double Within(IEnumerable<TrialRow> trials) => trials.Where(t => t.StartedAt is not null)
            .Sum(t => Math.Max(0, (Min(t.FinishedAt ?? end, end) - Max(t.StartedAt!.Value, bobSubmitted)).TotalSeconds));
        var (aliceSeconds, bobSeconds) = (Within(alice), Within(bob));
        var bobShare = bobSeconds / (aliceSeconds + bobSeconds);
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"window {(end - bobSubmitted).TotalSeconds:0.0} s: Alice {aliceSeconds:0.0} device-s, Bob {bobSeconds:0.0} device-s, Bob's share {bobShare:0.000}; first start of Bob {(firstStart - bobSubmitted).TotalSeconds:0.00} s");
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        Assert.True(bobShare is >= 0.45 and <= 0.55, $"Alice {aliceSeconds:0.0} device-s, Bob {bobSeconds:0.0} device-s while both waited: Bob's share {bobShare:0.000}, not within 10% of equal");
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>A sweep of <paramref name="trials"/> cells (one per seed) on the tiny preset: the sleeping executor never loads it.</summary>
    private static SweepDefinition Sweep(string name, int trials) => new()
    {
        Name = name,
        File = name + ".yaml",
        Backbones = [PresetBackbone.Tiny],
        Datasets = [DatasetRef.Parse("synthetic:mosei")],
        Seeds = Enumerable.Range(1, trials).ToList(),
        Retries = 0,
        MemoryGb = 0,
    };

    /// <summary>A cluster client of the lab (as the API is): it submits sweeps in a user's name.</summary>
    private static async Task<IHost> ClientAsync(Lab lab)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonFile(lab.Profile);
        builder.Logging.ClearProviders();
        builder.AddMseLabClient();
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }
}
