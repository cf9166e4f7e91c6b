using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MseLab.Cli.Hosts;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// One benchmark worker (<c>mselab bench worker</c>, one device, sleeping trials, the default heartbeat and lease) per lab
/// host, advertising the host's address and reaching the servers at <see cref="LabServerEndpoints"/>. A worker that is
/// killed or exits is replaced by one of a new name (a name stays unique in the cluster); every name is kept for
/// <see cref="ForgetAsync"/>. Disposing stops the workers (SIGTERM, then SIGKILL); the hosts go with <see cref="LabHosts"/>.
/// </summary>
internal sealed class HostWorkers(LabHosts hosts, string profile, LabServerEndpoints servers, double trialSeconds, string prefix, string folder) : IAsyncDisposable
{
    private static readonly TimeSpan RegisterTimeout = TimeSpan.FromSeconds(90);

    /// <summary>How long a worker may stay out of the cluster's active silos before it is replaced.</summary>
    private static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(60);

    // A worker is up when its registration was touched this recently (it touches it every heartbeat).
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly Dictionary<int, Worker> _current = [];
    private readonly List<Worker> _all = [];

    /// <summary>A worker process on a host; <see cref="Log"/> keeps its last lines for errors.</summary>
    public sealed class Worker(LabHost host, string name, Process process)
    {
        private readonly ConcurrentQueue<string> _log = new();

        public LabHost Host { get; } = host;

        public string Name { get; } = name;

        public Process Process { get; } = process;

        public string Log => string.Join('\n', _log);

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            _log.Enqueue(line);
            while (_log.Count > 40)
            {
                _log.TryDequeue(out _);
            }
        }
    }

    /// <summary>Every host's current worker.</summary>
    public IReadOnlyCollection<Worker> Current => _current.Values;

    /// <summary>How many workers were started to replace one that was killed or had exited.</summary>
    public int Replacements => _all.Count - _current.Count;

    /// <summary>Starts a worker on every host and waits until all have registered.</summary>
    public async Task StartAllAsync(CancellationToken cancellationToken)
    {
        foreach (var host in hosts.Hosts)
        {
            Start(host);
        }

        await WaitUntilUpAsync(_current.Values, cancellationToken);
    }

    /// <summary>The current worker whose device ran a trial (<c>HOST/cpu:0</c>); null if none of them.</summary>
    public Worker? Of(string device) => _current.Values.FirstOrDefault(w => device.StartsWith(w.Name + "/", StringComparison.Ordinal));

    /// <summary>Starts a replacement for <paramref name="worker"/> on its host once it has exited, and waits until it registered.</summary>
    public async Task ReplaceAsync(Worker worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        await worker.Process.WaitForExitAsync(cancellationToken);
        await WaitUntilUpAsync([Start(worker.Host)], cancellationToken);
    }

    /// <summary>
    /// Waits until every host's worker is an active silo of the cluster (an Active silo at its host's address in the
    /// membership). A worker that exited (a silo declared dead while cut may stop), or that is still not active after
    /// <see cref="RejoinTimeout"/> (alive but out of the cluster), is replaced; returns the workers replaced.
    /// </summary>
    public async Task<IReadOnlyList<Worker>> EnsureActiveAsync(IManagementGrain cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var replaced = new List<Worker>();
        var deadline = DateTime.UtcNow + RejoinTimeout;
        while (true)
        {
            foreach (var exited in _current.Values.Where(w => w.Process.HasExited).ToList())
            {
                replaced.Add(exited);
                await ReplaceAsync(exited, cancellationToken);
            }

            var active = await ActiveAddressesAsync(cluster);
            var missing = _current.Values.Where(w => active?.Contains(w.Host.Address) != true).ToList();
            if (missing.Count == 0)
            {
                return replaced;
            }

            if (DateTime.UtcNow > deadline)
            {
                if (replaced.Intersect(missing).Any() || missing.Any(m => _all.Count(w => w.Host == m.Host) > 3))
                {
                    throw new ClusterUnavailableException(
                        $"Worker(s) {string.Join(", ", missing.Select(w => w.Name))} did not become active silos within {RejoinTimeout.TotalSeconds:0} s:\n{string.Join('\n', missing.Select(w => $"--- {w.Name} ---\n{w.Log}"))}");
                }

                foreach (var stuck in missing)
                {
                    stuck.Process.Kill();
                    replaced.Add(stuck);
                    await ReplaceAsync(stuck, cancellationToken);
                }

                deadline = DateTime.UtcNow + RejoinTimeout;
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>Deletes every worker started here from the store's registry (they are not the lab's workers).</summary>
    public async Task ForgetAsync(CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(profile, cancellationToken);
        var registry = new WorkerRegistry(database, new StoreClock(database));
        foreach (var worker in _all)
        {
            await registry.ForgetAsync(worker.Name, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _all.Where(w => !w.Process.HasExited))
        {
            // SIGTERM: a graceful stop, so the silo leaves the cluster's membership as dead, not as a silent entry.
            Process.Start("kill", ["-TERM", worker.Process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        }

        foreach (var worker in _all)
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await worker.Process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                worker.Process.Kill();
            }

            worker.Process.Dispose();
        }
    }

    // The addresses of the cluster's active silos; null when the membership did not answer within 5 s.
    private static async Task<HashSet<IPAddress>?> ActiveAddressesAsync(IManagementGrain cluster)
    {
        try
        {
            var hosts = await cluster.GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5));
            return [.. hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key.Endpoint.Address)];
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return null;
        }
    }

    private Worker Start(LabHost host)
    {
        var generation = _all.Count(w => w.Host == host);
        var name = generation == 0 ? $"{prefix}-h{host.Number}" : $"{prefix}-h{host.Number}r{generation}";
        string[] args =
        [
            "bench", "worker", "--profile", Path.GetFullPath(profile), "--host", name, "--advertise", host.Address.ToString(),
            "--trial-seconds", trialSeconds.ToString(CultureInfo.InvariantCulture), "--devices", "cpu:0", "--runs", Path.Combine(folder, name),
        ];
        var info = host.StartInfo(Environment.ProcessPath ?? Path.Combine(AppContext.BaseDirectory, "mselab"), args);
        (info.RedirectStandardOutput, info.RedirectStandardError, info.WorkingDirectory) = (true, true, folder);
        foreach (var (variable, value) in servers.Environment)
        {
            info.Environment[variable] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start a worker on {host}");
        var worker = new Worker(host, name, process);
        process.OutputDataReceived += (_, e) => worker.Add(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _current[host.Number] = worker;
        _all.Add(worker);
        return worker;
    }

    private async Task WaitUntilUpAsync(IReadOnlyCollection<Worker> workers, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(profile, cancellationToken);
        var registry = new WorkerRegistry(database, new StoreClock(database));
        var deadline = DateTime.UtcNow + RegisterTimeout;
        while (true)
        {
            var up = (await registry.ListAsync(cancellationToken)).Where(w => w.State == WorkerState.Up && DateTime.UtcNow - w.SeenAt < Fresh).Select(w => w.Host).ToHashSet();
            if (workers.All(w => up.Contains(w.Name)))
            {
                return;
            }

            if (workers.FirstOrDefault(w => w.Process.HasExited) is { } dead)
            {
                throw new ClusterUnavailableException($"Worker {dead.Name} on {dead.Host} exited at start (code {dead.Process.ExitCode}):\n{dead.Log}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ClusterUnavailableException(
                    $"The benchmark's workers did not register within {RegisterTimeout.TotalSeconds:0} s:\n{string.Join('\n', workers.Select(w => $"--- {w.Name} ---\n{w.Log}"))}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
