using System.Diagnostics;
using System.Globalization;
using MseLab.Cluster.Client;
using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;
using MseLab.Store;
using MseLab.Store.Records;
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
        var cluster = await StartWorkersAndConnectAsync(profile, workers, $"bench-{stamp}", devices, trialSeconds: 0, cancellationToken);
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

        await ForgetAsync(profile, sweep.Name, cluster.Hosts, json, cancellationToken);

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
        var cluster = await StartWorkersAndConnectAsync(profile, 3, $"kill-{stamp}", 1, trialSeconds: 600, cancellationToken);
        List<double> rerun;
        await using (cluster)
        {
            rerun = await KillRoundsAsync(cluster, sweep, kills, json, cancellationToken);
        }

        await ForgetAsync(profile, sweep.Name, cluster.Hosts, json, cancellationToken);
        return rerun;
    }

    private static async Task<List<double>> KillRoundsAsync(BenchCluster cluster, SweepDefinition sweep, int kills, bool json, CancellationToken cancellationToken)
    {
        var rerun = new List<double>();
        var store = cluster.Connection.Get<ResultQueries>();
        await cluster.Connection.Get<SweepSubmitter>().SubmitAsync(sweep, rerunFailed: false, cancellationToken);
        for (var k = 0; k < kills; k++)
        {
            var running = await WaitAsync(async () => (await store.TrialsAsync(sweep.Name, TrialStatus.Running, false, cancellationToken)).SingleOrDefault(), TimeSpan.FromSeconds(60), cancellationToken);
            if (running?.Device is null)
            {
                Say(json, "the trial is not running; stopping the kill phase");
                break;
            }

            var victim = cluster.Workers.Single(w => running.Device.StartsWith(w.Host + "/", StringComparison.Ordinal));
            var clock = Stopwatch.StartNew();
            victim.Process.Kill();
            var again = await WaitAsync(
                async () => (await store.TrialsAsync(sweep.Name, TrialStatus.Running, false, cancellationToken)).SingleOrDefault(t => t.Attempt > running.Attempt),
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
    private static async Task ForgetAsync(string profile, string sweepId, IReadOnlyList<string> hosts, bool json, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(profile, cancellationToken);
        try
        {
            await new SweepSubmissions(database, TimeProvider.System).DeleteAsync(sweepId, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            Say(json, $"the benchmark's sweep stays in the store: {e.Message}");
        }

        var registry = new WorkerRegistry(database, TimeProvider.System);
        foreach (var host in hosts)
        {
            await registry.ForgetAsync(host, cancellationToken);
        }
    }

    private static async Task<T?> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? poll = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        return null;
    }

    private static async Task<BenchCluster> StartWorkersAndConnectAsync(string profile, int count, string prefix, int devices, double trialSeconds, CancellationToken cancellationToken)
    {
        var cluster = new BenchCluster(profile, devices, trialSeconds);
        try
        {
            for (var i = 0; i < count; i++)
            {
                cluster.Start($"{prefix}-{i + 1}");
            }

            await cluster.WaitUntilRegisteredAsync(cancellationToken);
            cluster.Connection = await ClusterConnection.StartAsync(profile, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Worker processes started by the benchmark, stopped (SIGKILL) when it ends.</summary>
    private sealed class BenchCluster(string profile, int devices, double trialSeconds) : IAsyncDisposable
    {
        public List<(string Host, Process Process)> Workers { get; } = [];

        /// <summary>Every host started, replacements included.</summary>
        public List<string> Hosts { get; } = [];

        public ClusterConnection Connection { get; set; } = null!;

        public void Start(string host)
        {
            var info = new ProcessStartInfo(Environment.ProcessPath ?? Path.Combine(AppContext.BaseDirectory, "mselab"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "bench", "worker", "--profile", profile, "--host", host, "--trial-seconds", trialSeconds.ToString(CultureInfo.InvariantCulture),
                "--devices", string.Join(',', Enumerable.Range(0, devices).Select(d => $"cpu:{d}")) })
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start mselab-worker");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Workers.Add((host, process));
            Hosts.Add(host);
        }

        public async Task WaitUntilRegisteredAsync(CancellationToken cancellationToken)
        {
            using var database = await LocalStore.OpenAsync(profile, cancellationToken);
            var registry = new WorkerRegistry(database, TimeProvider.System);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (true)
            {
                var up = (await registry.ListAsync(cancellationToken)).Where(w => w.State == WorkerState.Up && DateTime.UtcNow - w.SeenAt < TimeSpan.FromSeconds(5)).Select(w => w.Host).ToHashSet();
                if (Workers.All(w => up.Contains(w.Host)))
                {
                    return;
                }

                if (Workers.FirstOrDefault(w => w.Process.HasExited) is { Host: { } dead })
                {
                    throw new ClusterUnavailableException($"Worker {dead} exited at start; run it by hand (mselab bench worker --profile {profile} --host {dead}) to see why.");
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new ClusterUnavailableException("The benchmark's workers did not register within 90 s.");
                }

                await Task.Delay(250, cancellationToken);
            }
        }

        public async Task ReplaceAsync((string Host, Process Process) victim, CancellationToken cancellationToken)
        {
            Workers.Remove(victim);
            await victim.Process.WaitForExitAsync(cancellationToken);
            victim.Process.Dispose();
            Start(victim.Host + "r");
            await WaitUntilRegisteredAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (Connection is not null)
            {
                await Connection.DisposeAsync();
            }

            foreach (var (_, process) in Workers.Where(w => !w.Process.HasExited))
            {
                // SIGTERM: a graceful stop, so the silo leaves the cluster's membership as dead, not as a silent entry.
                Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            }

            foreach (var (_, process) in Workers)
            {
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }
}
