using System.Globalization;
using MseLab.Data;
using MseLab.Grains.Execution;
using MseLab.Orchestrator;

namespace MseLab.Worker;

/// <summary>The worker's options, mapped onto configuration keys (a profile file supplies the rest).</summary>
internal static class WorkerCommandLine
{
    public const string Help = """
        mselab-worker: one lab worker process (an Orleans silo driving this machine's devices).

        Usage: mselab-worker --profile lab.json [--devices cuda:0=80,cuda:1=80] [--host NAME] [options]

        Options:
          --profile FILE        Cluster profile (JSON): Cluster (Redis, RabbitMq, ClusterId), Store (Postgres) and optional
                                Worker sections. The same file the command line takes with --cluster.
          --devices LIST        Devices this worker drives, comma-separated: cpu:N or cuda:N, optionally =GB of memory
                                (default cpu:0 with the machine's memory).
          --host NAME           Worker name, unique in the cluster (default: the machine name).
          --advertise ADDRESS   The IP address other workers and clients reach this one at (default 127.0.0.1; set the
                                LAN address when workers run on several machines).
          --silo-port N         Silo-to-silo port (default: a free port).
          --gateway-port N      Client gateway port (default: a free port).
          --threads N           Intra-op CPU threads for trials (default 1).
          --heartbeat SECONDS   Heartbeat period of a running trial (default 2).
          --lease SECONDS       A trial silent this long is taken from its worker (default three heartbeats).
          --hold SECONDS        Longest a queue message waits here for a free device before it is handed back (default 10).
          --http URL            Where /metrics (Prometheus), /health and /alive are served (default http://127.0.0.1:0,
                                a free port, printed at start-up; e.g. http://0.0.0.0:9464 for a Prometheus server
                                on another machine).
          --executor KIND       engine (default), or for orchestration benchmarks noop / sleep:SECONDS.
          --runs DIR            Trial folders (default .mselab/runs).
          --models DIR          Where the tiny preset backbone is created (default models).
          -h, --help            This text.

        Every setting is also a configuration key (Worker:Devices:0, Cluster:Redis, Store:ConnectionString, ...), settable
        as an environment variable with the MSELAB_ prefix (MSELAB_Cluster__Redis=...). The database schema must be
        current: run `mselab db migrate --cluster lab.json` once after installing or upgrading.
        SIGTERM (or `mselab worker drain NAME`) stops gracefully: running trials checkpoint and hand their cells back.
        """;

    /// <summary>Turns the options into configuration pairs; throws <see cref="FormatException"/> naming a bad option.</summary>
    public static (string? Profile, Dictionary<string, string?> Settings) Parse(IReadOnlyList<string> args)
    {
        string? profile = null;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value (see --help).");
            string Number() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n.ToString(CultureInfo.InvariantCulture)
                : throw new FormatException($"{name} needs a non-negative number, got '{args[i]}'.");
            switch (name)
            {
                case "--profile":
                    profile = Value();
                    break;
                case "--devices":
                    var devices = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    for (var d = 0; d < devices.Length; d++)
                    {
                        _ = DeviceSpec.Parse(devices[d]);
                        settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Devices)}:{d}"] = devices[d];
                    }

                    break;
                case "--host":
                    settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Host)}"] = Value();
                    break;
                case "--advertise":
                    settings[$"{ClusterOptions.SectionName}:{nameof(ClusterOptions.AdvertisedAddress)}"] = Value();
                    break;
                case "--silo-port":
                    settings[$"{ClusterOptions.SectionName}:{nameof(ClusterOptions.SiloPort)}"] = Number();
                    break;
                case "--gateway-port":
                    settings[$"{ClusterOptions.SectionName}:{nameof(ClusterOptions.GatewayPort)}"] = Number();
                    break;
                case "--threads":
                    settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = Number();
                    break;
                case "--heartbeat":
                    settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.HeartbeatSeconds)}"] = Number();
                    break;
                case "--lease":
                    settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.LeaseSeconds)}"] = Number();
                    break;
                case "--hold":
                    settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.HoldSeconds)}"] = Number();
                    break;
                case "--http":
                    settings[WebHostDefaults.ServerUrlsKey] = Value();
                    break;
                case "--executor":
                    settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Executor)}"] = Value();
                    break;
                case "--runs":
                    settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.RunsDirectory)}"] = Value();
                    break;
                case "--models":
                    settings[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.ModelsDirectory)}"] = Value();
                    break;
                default:
                    throw new FormatException($"Unknown option '{name}' (see --help).");
            }
        }

        return (profile, settings);
    }

    /// <summary>The store section of the final configuration, for the start-up checks.</summary>
    public static StoreOptions StoreOf(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        Microsoft.Extensions.Configuration.ConfigurationBinder.Get<StoreOptions>(configuration.GetSection(StoreOptions.SectionName)) ?? new StoreOptions();
}
