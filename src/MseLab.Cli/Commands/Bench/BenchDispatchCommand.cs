using System.ComponentModel;
using System.Diagnostics;
using MseLab.Cluster.Client;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;
using MseLab.Grains;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench dispatch</c>: no-op trials through the whole path (expand, store, queue, consumer, device grain,
/// claim, complete, sweep grain) on the embedded cluster with a fresh SQLite file; prints trials/s and CPU ms per trial.
/// </summary>
internal sealed class BenchDispatchCommand : AsyncCommand<BenchDispatchCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandOption("--trials <N>")]
        [Description("No-op trials to dispatch (default 10000).")]
        [DefaultValue(10000)]
        public int Trials { get; init; } = 10000;

        [CommandOption("--devices <N>")]
        [Description("Virtual devices, i.e. trials in flight at once (default 32; with --cluster, per worker process, default 16).")]
        public int? Devices { get; init; }

        [CommandOption("--worker-processes <N>")]
        [Description("With --cluster: worker processes the benchmark starts on this machine (default 3).")]
        [DefaultValue(3)]
        public int WorkerProcesses { get; init; } = 3;

        [CommandOption("--kills <N>")]
        [Description("With --cluster: SIGKILLs of a worker running a trial, timed until the trial runs again (default 5; 0 skips).")]
        [DefaultValue(5)]
        public int Kills { get; init; } = 5;

        [CommandOption("--compare-optuna")]
        [Description("Also run Optuna's no-op trials on this machine in the same run (SQLite; with --cluster the profile's Postgres and as many processes as workers) and print the ratio. Needs Debian's python3-optuna.")]
        public bool CompareOptuna { get; init; }

        [CommandOption("--optuna-trials <N>")]
        [Description("Trials of the Optuna run (default 2000: Optuna runs some 50 a second here).")]
        [DefaultValue(2000)]
        public int OptunaTrials { get; init; } = 2000;

        [CommandOption("--json")]
        [Description("Print the figures as one JSON object (trials_per_s, cpu_ms_per_trial, ...) instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Trials < 1 || Devices is < 1 or > 1024 || WorkerProcesses is < 1 or > 16 || Kills < 0 || OptunaTrials < 1
                ? ValidationResult.Error("--trials and --optuna-trials must be >= 1, --devices 1..1024, --worker-processes 1..16 and --kills >= 0.")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Cluster is { } profile)
        {
            return await ClusterDispatchBench.RunAsync(profile, settings, cancellationToken);
        }

        var figures = await RunEmbeddedAsync(settings.Trials, settings.Devices ?? 32, cancellationToken);
        if (settings.CompareOptuna)
        {
            var folder = Directory.CreateTempSubdirectory("mselab-optuna-");
            try
            {
                figures = figures with { Optuna = await OptunaAnchor.RunOnSqliteAsync(folder.FullName, settings.OptunaTrials, cancellationToken) };
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }

        BenchFigures.Write(figures, settings.Json);
        return figures.Succeeded == settings.Trials ? 0 : 1;
    }

    /// <summary>The embedded cluster on a fresh SQLite file in a temporary folder, <paramref name="trials"/> no-op trials.</summary>
    public static async Task<BenchFigures> RunEmbeddedAsync(int trials, int devices, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("mselab-bench-");
        try
        {
            var store = Path.Combine(directory.FullName, "bench.db");
            await using var cluster = await EmbeddedCluster.StartAsync<NoOpTrialExecutor>(devices, store);
            var sweep = Sweep("bench-dispatch", Path.Combine(directory.FullName, "bench-dispatch.yaml"), trials);
            var grain = cluster.Get<IGrainFactory>().GetGrain<ISweepGrain>(sweep.Name);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var clock = Stopwatch.StartNew();
            await cluster.Get<SweepSubmitter>().SubmitAsync(sweep, rerunFailed: false, cancellationToken);
            var submitted = clock.Elapsed;
            SweepProgress progress;
            do
            {
                await Task.Delay(100, cancellationToken);
                progress = await grain.GetProgressAsync();
            }
            while (!progress.Finished);

            clock.Stop();
            process.Refresh();
            return new BenchFigures
            {
                Mode = "embedded",
                Trials = trials,
                Succeeded = progress.Count(TrialStatus.Succeeded),
                Devices = devices,
                SubmitSeconds = submitted.TotalSeconds,
                TotalSeconds = clock.Elapsed.TotalSeconds,
                CpuMsPerTrial = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / trials,
                AllocatedKiBPerTrial = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / trials,
                Collections = $"{GC.CollectionCount(0) - collectionsBefore[0]}/{GC.CollectionCount(1) - collectionsBefore[1]}/{GC.CollectionCount(2) - collectionsBefore[2]}",
            };
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A sweep of <paramref name="trials"/> cells (one per seed) on the tiny preset: the executor never loads it.</summary>
    public static SweepDefinition Sweep(string name, string file, int trials) => new()
    {
        Name = name,
        File = file,
        Backbones = [PresetBackbone.Tiny],
        Datasets = [DatasetRef.Parse("synthetic:mosei")],
        Seeds = Enumerable.Range(1, trials).ToList(),
        Retries = 0,
        MemoryGb = 0,
    };
}
