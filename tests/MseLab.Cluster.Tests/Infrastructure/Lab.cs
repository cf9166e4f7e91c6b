using System.Globalization;
using MseLab.Cli.Hosts;
using MseLab.Datasets.Cache;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Trials;
using MseLab.Store;
using MseLab.Store.Records;
using MseLab.TestSupport;
using Npgsql;
using Xunit.Sdk;

namespace MseLab.Cluster.Tests.Infrastructure;

/// <summary>
/// One isolated lab per test on the shared services: its own Postgres database, RabbitMQ virtual host and Orleans
/// cluster id, a profile file, and worker processes in a temporary folder. With hosts, each worker runs on a lab host of
/// its own (a network namespace, <see cref="LabHosts"/>) advertising that host's address and reaching the servers at their
/// lab-network addresses (a second profile), while the test and the <c>mselab</c> client stay on this machine's network.
/// </summary>
internal sealed class Lab : IDisposable
{
    /// <summary>The admin whose token the profile carries (<c>Auth:Token</c>), so the lab's commands may change it.</summary>
    public const string Operator = "lab-operator";

    /// <summary>Fast failure detection for tests: heartbeat every second, a cell is taken back after 4 s of silence.</summary>
    public static readonly string[] FastLease = ["--heartbeat", "1", "--lease", "4", "--hold", "3"];

    private readonly List<WorkerProcess> _workers = [];
    private readonly string _database;
    private int _hostsTaken;

    /// <param name="hosts">Lab hosts to make (0: every worker on this machine's loopback); the workers take them in the order they start.</param>
    public Lab(int hosts = 0)
    {
        Id = "t" + Guid.NewGuid().ToString("N")[..10];
        Directory = Path.Combine(Path.GetTempPath(), "mselab-lab-" + Id);
        System.IO.Directory.CreateDirectory(Directory);
        _database = "mselab_" + Id;
        using (var connection = new NpgsqlConnection(LabServices.Postgres))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
            create.ExecuteNonQuery();
        }

        LabServices.Run("vhost", Id);
        var postgres = new NpgsqlConnectionStringBuilder(LabServices.Postgres) { Database = _database }.ToString();
        var rabbit = new Uri(new Uri(LabServices.RabbitMq), Id).ToString();
        WriteProfile(Profile, LabServices.Redis, rabbit, postgres, token: null);
        var migrate = Mselab("db", "migrate", "--cluster", Profile);
        if (migrate.ExitCode != 0)
        {
            throw new InvalidOperationException($"db migrate failed: {migrate.StandardOutput}{migrate.StandardError}");
        }

        Database = new ResultsDatabase(new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = postgres });

        // Cluster-mode changes (sweep run, cancel, worker drain) act as a token's user: the lab's command line is an admin's.
        new Users(Database, new StoreClock(Database)).AddAsync(Operator, UserRole.Admin).GetAwaiter().GetResult();
        var token = new ApiTokens(Database, new StoreClock(Database)).CreateAsync(Operator, TimeSpan.FromDays(1)).GetAwaiter().GetResult().Token;
        WriteProfile(Profile, LabServices.Redis, rabbit, postgres, token);
        Store = new ResultQueries(Database);
        Workers = new WorkerRegistry(Database, new StoreClock(Database));
        if (hosts > 0)
        {
            // The same database, virtual host and cluster, at the servers' own addresses on the lab network.
            WriteProfile(
                HostProfile,
                LabServices.NetRedis,
                new Uri(new Uri(LabServices.NetRabbitMq), Id).ToString(),
                new NpgsqlConnectionStringBuilder(LabServices.NetPostgres) { Database = _database }.ToString(),
                token);
            Hosts = LabHosts.Create(hosts);
        }
    }

    public string Id { get; }

    public string Directory { get; }

    public string Profile => Path.Combine(Directory, "lab.json");

    /// <summary>The profile of workers on lab hosts: the servers at their lab-network addresses.</summary>
    public string HostProfile => Path.Combine(Directory, "lab-hosts.json");

    /// <summary>The lab's hosts; null when its workers run on this machine's loopback.</summary>
    public LabHosts? Hosts { get; }

    public ResultsDatabase Database { get; }

    /// <summary>The lab's results, as any client reads them.</summary>
    public ResultQueries Store { get; }

    public WorkerRegistry Workers { get; }

    /// <summary>
    /// Starts a worker and waits until it has registered (its silo joined, its queues are consumed). In a lab with hosts it
    /// runs on the next free host, advertising that host's address.
    /// </summary>
    public async Task<WorkerProcess> StartWorkerAsync(string host, params string[] extra)
    {
        var on = NextHost();
        string[] network = on is null ? ["--profile", Profile] : ["--profile", HostProfile, "--advertise", on.Address.ToString()];
        var worker = new WorkerProcess(Directory, host, [.. network, "--host", host, "--devices", "cpu:0", .. FastLease, .. extra], DataEnvironment(host), on: on);
        lock (_workers)
        {
            _workers.Add(worker);
        }

        await worker.WaitForLogAsync("Application started", TimeSpan.FromSeconds(90));
        return worker;
    }

    /// <summary>Starts workers named <paramref name="hosts"/> at once (each on its own lab host, in a lab with hosts).</summary>
    public async Task<WorkerProcess[]> StartWorkersAsync(params string[] hosts)
    {
        var starts = new List<Task<WorkerProcess>>();
        foreach (var host in hosts)
        {
            starts.Add(StartWorkerAsync(host));   // takes its host before the first await: in order
        }

        return await Task.WhenAll(starts);
    }

    private LabHost? NextHost() =>
        Hosts is null ? null
        : _hostsTaken < Hosts.Hosts.Count ? Hosts[++_hostsTaken]
        : throw new InvalidOperationException($"the lab has {Hosts.Hosts.Count} host(s), all taken: make the lab with more (new Lab(hosts: N))");

    private void WriteProfile(string path, string redis, string rabbit, string postgres, string? token) => File.WriteAllText(path, $$"""
        {
          "Cluster": { "Clustering": "redis", "Redis": "{{redis}}", "Transport": "rabbitmq", "RabbitMq": "{{rabbit}}", "ClusterId": "{{Id}}" },
          "Store": { "Provider": "postgres", "ConnectionString": "{{postgres}}" },
          "Auth": { "Token": "{{token}}" }
        }
        """);

    /// <summary>
    /// Starts a worker whose wall clock is <paramref name="offset"/> off (<c>Worker:ClockOffsetSeconds</c>), as a machine
    /// with a wrong clock, and waits until it has registered.
    /// </summary>
    public async Task<WorkerProcess> StartSkewedWorkerAsync(string host, TimeSpan offset)
    {
        var environment = DataEnvironment(host);
        environment["MSELAB_Worker__ClockOffsetSeconds"] = offset.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var worker = new WorkerProcess(Directory, host, ["--profile", Profile, "--host", host, "--devices", "cpu:0", .. FastLease], environment);
        _workers.Add(worker);
        await worker.WaitForLogAsync("Application started", TimeSpan.FromSeconds(60));
        return worker;
    }

    /// <summary>
    /// Starts a benchmark worker (<c>mselab bench worker</c>: the worker host, whose devices sleep
    /// <paramref name="trialSeconds"/> per trial instead of training) and waits until it has registered.
    /// </summary>
    public async Task<WorkerProcess> StartSleepWorkerAsync(string host, double trialSeconds, int devices)
    {
        string[] args =
        [
            "bench", "worker", "--profile", Profile, "--host", host, "--trial-seconds", trialSeconds.ToString(CultureInfo.InvariantCulture),
            "--devices", string.Join(',', Enumerable.Range(0, devices).Select(d => $"cpu:{d}")), .. FastLease,
        ];
        var worker = new WorkerProcess(Directory, host, args, DataEnvironment(host), program: "mselab");
        lock (_workers)
        {
            _workers.Add(worker);
        }

        await worker.WaitForLogAsync("Application started", TimeSpan.FromSeconds(60));
        return worker;
    }

    /// <summary>Runs the command line in the lab folder.</summary>
    public ProcessResult Mselab(params string[] args) =>
        ChildProcess.Run(
            "/usr/bin/env",
            [.. DataEnvironment("client").Select(v => v.Value is null ? $"--unset={v.Key}" : $"{v.Key}={v.Value}"), Path.Combine(AppContext.BaseDirectory, "mselab"), .. args],
            timeout: TimeSpan.FromMinutes(5),
            workingDirectory: Directory);

    /// <summary>
    /// The data settings a lab process inherits: none of the test's own data root (a worker has the one its test gives it,
    /// or none), a dataset cache (hash index, prepared data) of its own in the lab folder, never the user's, and trial
    /// folders of its own, as on a machine of its own.
    /// </summary>
    private Dictionary<string, string?> DataEnvironment(string process) => new()
    {
        [DataRoot.EnvironmentVariable] = null,
        [DatasetCache.EnvironmentVariable] = Path.Combine(Directory, "data-cache", process),
        ["MSELAB_Worker__RunsDirectory"] = RunsOf(process),
    };

    /// <summary>The trial folders of the lab process named <paramref name="process"/> (a worker's name).</summary>
    public string RunsOf(string process) => Path.Combine(Directory, "runs", process);

    /// <summary>
    /// Writes a sweep file on the tiny test backbone; returns its path. Its datasets are <paramref name="datasets"/> (a YAML
    /// list), else a small synthetic MOSEI with <paramref name="train"/> training samples.
    /// </summary>
    public string WriteSweep(string name, string seeds = "[1111]", string lr = "[5e-3]", int epochs = 2, int train = 64, string extra = "", string? datasets = null)
    {
        var path = Path.Combine(Directory, name + ".yaml");
        var list = datasets ?? $"[\"synthetic:mosei?train={train}&valid=16&test=16\"]";
        File.WriteAllText(path, $"""
            name: {name}
            base:
              warm_up_epochs: {epochs}
              max_epochs: {epochs}
              early_stop: {epochs}
            backbones: ["{TinyBackbones.Directory}"]
            datasets: {list}
            grid:
              lr: {lr}
            seeds: {seeds}
            retries: 2
            {extra}
            """);
        return path;
    }

    /// <summary>Submits a sweep to the cluster and returns at once; <paramref name="extra"/> are more options of <c>sweep run</c>.</summary>
    public void Submit(string sweepFile, params string[] extra)
    {
        var run = Mselab(["sweep", "run", sweepFile, "--cluster", Profile, "--detach", .. extra]);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"sweep run --detach failed ({run.ExitCode}): {run.StandardOutput}{run.StandardError}\n{Logs()}");
        }
    }

    public async Task<IReadOnlyList<TrialRow>> TrialsAsync(string sweep) => await Store.TrialsAsync(sweep);

    /// <summary>Polls until <paramref name="probe"/> gives a value; fails naming <paramref name="what"/>, with the workers' logs.</summary>
    public async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException && DateTime.UtcNow < deadline)
            {
                // the database may be restarting in this very test
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new XunitException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.\n{Logs()}");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits until the sweep's single cell runs with at least one epoch (and its checkpoint) in the store.</summary>
    public Task<TrialRow> WaitForStoredEpochAsync(string sweep) =>
        WaitForAsync(
            async () =>
            {
                var running = (await TrialsAsync(sweep)).SingleOrDefault(t => t.Status == TrialStatus.Running);
                return running is not null && (await Store.EpochAttemptsAsync(sweep, running.Key)).Count >= 1 ? running : null;
            },
            TimeSpan.FromMinutes(2),
            $"sweep {sweep}'s cell to store its first epoch");

    /// <summary>Waits until every cell of the sweep has ended.</summary>
    public Task<IReadOnlyList<TrialRow>> WaitForEndAsync(string sweep, TimeSpan timeout) =>
        WaitForAsync<IReadOnlyList<TrialRow>>(
            async () =>
            {
                var trials = await TrialsAsync(sweep);
                return trials.Count > 0 && trials.All(t => t.Status is TrialStatus.Succeeded or TrialStatus.Failed or TrialStatus.Cancelled) ? trials : null;
            },
            timeout,
            $"sweep {sweep} to end");

    public string Logs()
    {
        lock (_workers)
        {
            return string.Join("\n", _workers.Select(w => $"--- worker {w.Host}{(w.On is { } on ? $" on {on}" : "")} ---\n{w.Log}"));
        }
    }

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Removes the lab even after a failed test: its workers first, then its hosts (with anything left on them), then its database and folder.</summary>
    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        Hosts?.Dispose();
        Database.Dispose();
        NpgsqlConnection.ClearAllPools();
        try
        {
            using var connection = new NpgsqlConnection(LabServices.Postgres);
            connection.Open();

            // Not WITH (FORCE): for the test role it fails when an autovacuum worker is in the database (it has no role to
            // be a member of), and the database stayed behind. The client sessions end first, then a plain DROP, which
            // stops such a worker itself (as tests/MseLab.Store.Tests/PostgresScratch.cs does).
            using (var terminate = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = @name AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                connection))
            {
                terminate.Parameters.AddWithValue("name", _database);
                terminate.ExecuteNonQuery();
            }

            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database}", connection);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // best effort: a throwaway database on a throwaway server
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a killed worker may still hold a file for a moment
        }
    }
}
