using System.Diagnostics;
using System.Globalization;
using MseLab.Cluster.Client;
using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;
using MseLab.Store;
using Spectre.Console;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// The lab-cluster half of <c>mselab bench dispatch</c>: worker processes started here (<c>mselab bench worker</c>: the
/// worker host with the benchmark's trials) against the profile's Postgres, RabbitMQ and Redis. Phase 1: no-op trials through the whole path (trials/s). Phase 2: repeated SIGKILLs of the worker
/// running a long trial, and the time until the trial runs again elsewhere.
/// </summary>
internal static class ClusterDispatchBench
{
    public static async Task<int> RunAsync(string profile, BenchDispatchCommand.Settings settings, CancellationToken cancellationToken)
    {
        var (trials, workers, devices, kills, json) = (settings.Trials, settings.WorkerProcesses, settings.Devices ?? 16, settings.Kills, settings.Json);
        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        BenchFigures figures;
        var sweep = BenchDispatchCommand.Sweep($"bench-dispatch-{stamp}", $"bench-dispatch-{stamp}.yaml", trials);
        var cluster = await BenchCluster.StartAsync(profile, workers, $"bench-{stamp}", devices, trialSeconds: 0, cancellationToken);
        await using (cluster)
        {
            var store = cluster.Connection.Get<ResultQueries>();
            Say(json, $"Phase 1: {trials} no-op trials on {workers} worker processes x {devices} devices...");
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await cluster.Connection.Get<SweepSubmitter>().SubmitAsync(sweep, rerunFailed: false, cancellationToken);
            var submitted = clock.Elapsed;
            int succeeded;
            do
            {
                await Task.Delay(200, cancellationToken);
                succeeded = (await store.SweepsAsync(sweep.Name, cancellationToken))[0].Succeeded;
            }
            while (succeeded < trials && clock.Elapsed < TimeSpan.FromMinutes(10));

            clock.Stop();
            process.Refresh();
            figures = new BenchFigures
            {
                Mode = "cluster",
                Trials = trials,
                Succeeded = succeeded,
                Devices = devices,
                WorkerProcesses = workers,
                SubmitSeconds = submitted.TotalSeconds,
                TotalSeconds = clock.Elapsed.TotalSeconds,
                CpuMsPerTrial = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / trials,
            };
        }

        await ForgetAsync(cluster, sweep.Name, json, cancellationToken);

        var ok = figures.Succeeded == trials;
        if (settings.CompareOptuna)
        {
            Say(json, $"Optuna: {settings.OptunaTrials} no-op trials, {workers} processes on one study in the same Postgres...");
            figures = figures with { Optuna = await OptunaAnchor.RunOnPostgresAsync(LocalStore.OptionsOf(profile).ConnectionString!, settings.OptunaTrials, workers, cancellationToken) };
        }

        if (kills > 0)
        {
            var rerun = await KillPhaseAsync(profile, stamp, kills, json, cancellationToken);
            ok &= rerun.Count == kills;
            figures = figures with { KillRequeueSeconds = rerun };
        }

        BenchFigures.Write(figures, json);
        return ok ? 0 : 1;
    }

    // Progress lines go to stderr with --json, so that stdout is the JSON object alone.
    private static void Say(bool json, string line)
    {
        if (json)
        {
            Console.Error.WriteLine(line);
        }
        else
        {
            AnsiConsole.WriteLine(line);
        }
    }

    // Three sleeper workers with the default heartbeat and lease; each round kills the worker that runs the trial and
    // times how long until another worker runs it, then starts a replacement.
    private static async Task<List<double>> KillPhaseAsync(string profile, string stamp, int kills, bool json, CancellationToken cancellationToken)
    {
        Say(json, $"Phase 2: {kills} SIGKILLs of the worker running a trial (default heartbeat and lease)...");
        var sweep = BenchDispatchCommand.Sweep($"bench-kill-{stamp}", $"bench-kill-{stamp}.yaml", 1);
        var cluster = await BenchCluster.StartAsync(profile, 3, $"kill-{stamp}", 1, trialSeconds: 600, cancellationToken);
        List<double> rerun;
        await using (cluster)
        {
            rerun = await KillRoundsAsync(cluster, sweep, kills, json, cancellationToken);
        }

        await ForgetAsync(cluster, sweep.Name, json, cancellationToken);
        return rerun;
    }

    private static async Task<List<double>> KillRoundsAsync(BenchCluster cluster, SweepDefinition sweep, int kills, bool json, CancellationToken cancellationToken)
    {
        var rerun = new List<double>();
        var store = cluster.Connection.Get<ResultQueries>();
        await cluster.Connection.Get<SweepSubmitter>().SubmitAsync(sweep, rerunFailed: false, cancellationToken);
        for (var k = 0; k < kills; k++)
        {
            var running = await BenchWait.UntilAsync(async () => (await store.TrialsAsync(sweep.Name, TrialStatus.Running, false, cancellationToken: cancellationToken)).SingleOrDefault(), TimeSpan.FromSeconds(60), cancellationToken);
            if (running?.Device is null)
            {
                Say(json, "the trial is not running; stopping the kill phase");
                break;
            }

            var victim = cluster.Workers.Single(w => running.Device.StartsWith(w.Host + "/", StringComparison.Ordinal));
            var clock = Stopwatch.StartNew();
            victim.Process.Kill();
            var again = await BenchWait.UntilAsync(
                async () => (await store.TrialsAsync(sweep.Name, TrialStatus.Running, false, cancellationToken: cancellationToken)).SingleOrDefault(t => t.Attempt > running.Attempt),
                TimeSpan.FromSeconds(60),
                cancellationToken,
                TimeSpan.FromMilliseconds(50));
            if (again is null)
            {
                Say(json, "the trial did not run again within 60 s");
                break;
            }

            rerun.Add(clock.Elapsed.TotalSeconds);
            Say(json, string.Create(CultureInfo.InvariantCulture, $"  kill {k + 1}: {victim.Host} killed, running again on {again.Device} after {clock.Elapsed.TotalSeconds:F1} s"));
            await cluster.ReplaceAsync(victim, cancellationToken);
        }

        await cluster.Connection.Get<SweepSubmissions>().CancelAsync(sweep.Name, cancellationToken);
        return rerun;
    }

    // The benchmark's rows are not results: its sweep and its workers leave the lab's store once measured.
    private static async Task ForgetAsync(BenchCluster cluster, string sweepId, bool json, CancellationToken cancellationToken)
    {
        if (await cluster.ForgetAsync(sweepId, cancellationToken) is { } kept)
        {
            Say(json, $"the benchmark's sweep stays in the store: {kept}");
        }
    }
}
