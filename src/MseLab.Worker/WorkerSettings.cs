using System.ComponentModel;
using System.Globalization;
using MseLab.Cluster.Client;
using MseLab.Grains;
using MseLab.Worker.Engine;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Worker;

/// <summary>
/// The options of a worker process. Each one is a configuration key (a profile file, or <c>MSELAB_</c> variables, supply
/// the rest); <see cref="Configuration"/> maps them.
/// </summary>
public class WorkerSettings : CommandSettings
{
    [CommandOption("--profile <FILE>")]
    [Description("Cluster profile (JSON): Cluster (Redis, RabbitMq, ClusterId), Store (Postgres) and optional Worker sections. The same file the command line takes with --cluster.")]
    public string? Profile { get; init; }

    [CommandOption("--devices <LIST>")]
    [Description("Devices this worker drives, comma-separated: cpu:N or cuda:N, optionally =GB of memory (default cpu:0 with the machine's memory).")]
    public string? Devices { get; init; }

    [CommandOption("--trials-per-device <N>")]
    [Description("Trials each device runs at once, sharing one copy of the backbone (default 1). Each runs in a slot listed as a device of its own (cuda:0, cuda:0#2, ...) that advertises the whole device's memory: the trials together must fit in it.")]
    public int? TrialsPerDevice { get; init; }

    [CommandOption("--host <NAME>")]
    [Description("Worker name, unique in the cluster (default: the machine name).")]
    public string? Host { get; init; }

    [CommandOption("--advertise <ADDRESS>")]
    [Description("The IP address other workers and clients reach this one at (default 127.0.0.1; set the LAN address when workers run on several machines).")]
    public string? Advertise { get; init; }

    [CommandOption("--silo-port <N>")]
    [Description("Silo-to-silo port (default: a free port).")]
    public int? SiloPort { get; init; }

    [CommandOption("--gateway-port <N>")]
    [Description("Client gateway port (default: a free port).")]
    public int? GatewayPort { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Intra-op CPU threads for trials (default 1).")]
    public int? Threads { get; init; }

    [CommandOption("--heartbeat <SECONDS>")]
    [Description("Heartbeat period of a running trial (default 2).")]
    public double? Heartbeat { get; init; }

    [CommandOption("--lease <SECONDS>")]
    [Description("A trial silent this long is taken from its worker (default three heartbeats).")]
    public double? Lease { get; init; }

    [CommandOption("--hold <SECONDS>")]
    [Description("Longest a queue message waits here for a free device before it is handed back (default 10).")]
    public double? Hold { get; init; }

    [CommandOption("--http <URL>")]
    [Description("Where /metrics (Prometheus), /health and /alive are served (default http://127.0.0.1:0, a free port, printed at start-up; e.g. http://0.0.0.0:9464 for a Prometheus server on another machine).")]
    public string? Http { get; init; }

    [CommandOption("--runs <DIR>")]
    [Description("Trial folders (default .mselab/runs).")]
    public string? Runs { get; init; }

    [CommandOption("--models <DIR>")]
    [Description("Where the tiny preset backbone is created (default models).")]
    public string? Models { get; init; }

    [CommandOption("--data-root <DIR>")]
    [Description("This machine's copy of the paper datasets, in the official layout (default: MSELAB_DATA_ROOT). Trials on stored data run only where the data's content hash equals the one their sweep was submitted with; other workers hand them on.")]
    public string? DataRoot { get; init; }

    [CommandOption("--backbone-root <DIR>")]
    [Description("A folder whose model folders submitted sweeps may name as backbones (repeat the option for several). Without any, this worker runs any backbone path (a single-user lab). With them, sweeps naming a folder outside every worker's roots, or a data_root outside every worker's --data-root, are refused at submission, and this worker hands back a trial whose folder resolves outside its roots (symbolic links followed).")]
    public string[]? BackboneRoots { get; init; }

    [CommandOption("--data-cache <DIR>")]
    [Description("Where datasets are prepared once for memory mapping (default: MSELAB_DATA_CACHE, else ~/.cache/mselab/datasets).")]
    public string? DataCache { get; init; }

    public override ValidationResult Validate()
    {
        foreach (var device in DeviceList())
        {
            try
            {
                _ = DeviceSpec.Parse(device);
            }
            catch (FormatException e)
            {
                return ValidationResult.Error($"--devices: {e.Message}");
            }
        }

        return SiloPort is < 0 or > 65535 || GatewayPort is < 0 or > 65535 ? ValidationResult.Error("--silo-port and --gateway-port must be port numbers.")
            : Threads is < 1 ? ValidationResult.Error("--threads must be at least 1.")
            : TrialsPerDevice is < 1 ? ValidationResult.Error("--trials-per-device must be at least 1.")
            : Heartbeat is <= 0 || Lease is < 0 || Hold is <= 0 ? ValidationResult.Error("--heartbeat and --hold must be positive, --lease non-negative.")
            : ValidationResult.Success();
    }

    /// <summary>The options as configuration keys (only those given).</summary>
    public Dictionary<string, string?> Configuration()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Set(string key, object? value)
        {
            if (value is not null)
            {
                settings[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        var devices = DeviceList();
        for (var d = 0; d < devices.Length; d++)
        {
            Set($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Devices)}:{d}", devices[d]);
        }

        var roots = BackboneRoots ?? [];
        for (var r = 0; r < roots.Length; r++)
        {
            Set($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.BackboneRoots)}:{r}", Path.GetFullPath(roots[r]));
        }

        Set($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.TrialsPerDevice)}", TrialsPerDevice);
        Set($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Host)}", Host);
        Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.AdvertisedAddress)}", Advertise);
        Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.SiloPort)}", SiloPort);
        Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.GatewayPort)}", GatewayPort);
        Set($"{WorkerOptions.SectionName}:{nameof(EngineOptions.Threads)}", Threads);
        Set($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.HeartbeatSeconds)}", Heartbeat);
        Set($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.LeaseSeconds)}", Lease);
        Set($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.HoldSeconds)}", Hold);
        Set($"{WorkerOptions.SectionName}:{nameof(EngineOptions.RunsDirectory)}", Runs);
        Set($"{WorkerOptions.SectionName}:{nameof(EngineOptions.ModelsDirectory)}", Models);
        Set($"{WorkerOptions.SectionName}:{nameof(EngineOptions.DataRoot)}", DataRoot is null ? null : Path.GetFullPath(DataRoot));
        Set($"{WorkerOptions.SectionName}:{nameof(EngineOptions.DataCache)}", DataCache is null ? null : Path.GetFullPath(DataCache));
        Set(WebHostDefaults.ServerUrlsKey, Http);
        return settings;
    }

    private string[] DeviceList() => (Devices ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
