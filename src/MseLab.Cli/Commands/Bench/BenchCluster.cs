using System.Diagnostics;
using System.Globalization;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// Worker processes started by <c>mselab bench dispatch --cluster</c> (<c>mselab bench worker</c>) against a profile's
/// servers, with a client connected to them; stopped (SIGTERM, then SIGKILL) when it ends.
/// </summary>
internal sealed class BenchCluster(string profile, int devices, double trialSeconds) : IAsyncDisposable
{
    public List<(string Host, Process Process)> Workers { get; } = [];

    /// <summary>Every host started, replacements included.</summary>
    public List<string> Hosts { get; } = [];

    public ClusterConnection Connection { get; private set; } = null!;

    /// <summary>Starts <paramref name="count"/> workers named <c>PREFIX-1..N</c>, waits until they registered, and connects a client.</summary>
    public static async Task<BenchCluster> StartAsync(string profile, int count, string prefix, int devices, double trialSeconds, CancellationToken cancellationToken)
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

    public void Start(string host)
    {
        string[] args = ["bench", "worker", "--profile", profile, "--host", host, "--trial-seconds", trialSeconds.ToString(CultureInfo.InvariantCulture),
            "--devices", string.Join(',', Enumerable.Range(0, devices).Select(d => $"cpu:{d}"))];
        var info = new ProcessStartInfo(Environment.ProcessPath ?? Path.Combine(AppContext.BaseDirectory, "mselab"), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
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
        var clock = new StoreClock(database);
        var registry = new WorkerRegistry(database, clock);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var now = await clock.NowAsync(cancellationToken);
            var up = (await registry.ListAsync(cancellationToken)).Where(w => w.State == WorkerState.Up && now - w.SeenAt < TimeSpan.FromSeconds(5)).Select(w => w.Host).ToHashSet();
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

    /// <summary>
    /// Deletes the benchmark's sweep and every worker it started from the store (they are not results); the reason when
    /// the sweep has to stay (a cell still running).
    /// </summary>
    public async Task<string?> ForgetAsync(string sweepId, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(profile, cancellationToken);
        var registry = new WorkerRegistry(database, new StoreClock(database));
        foreach (var host in Hosts)
        {
            await registry.ForgetAsync(host, cancellationToken);
        }

        try
        {
            await new SweepSubmissions(database, new StoreClock(database)).DeleteAsync(sweepId, cancellationToken);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
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
