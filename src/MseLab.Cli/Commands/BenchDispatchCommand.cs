using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MseLab.Grains;
using MseLab.Grains.Execution;
using MseLab.Orchestrator;
using MseLab.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

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

        public override ValidationResult Validate() =>
            Trials < 1 || Devices is < 1 or > 1024 || WorkerProcesses is < 1 or > 16 || Kills < 0
                ? ValidationResult.Error("--trials must be >= 1, --devices 1..1024, --worker-processes 1..16 and --kills >= 0.")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Cluster is { } profile)
        {
            return await ClusterDispatchBench.RunAsync(profile, settings.Trials, settings.WorkerProcesses, settings.Devices ?? 16, settings.Kills, cancellationToken);
        }

        var devices = settings.Devices ?? 32;
        var directory = Directory.CreateTempSubdirectory("mselab-bench-");
        try
        {
            var store = Path.Combine(directory.FullName, "bench.db");
            await using var cluster = await EmbeddedCluster.StartAsync(devices, 1, s => s.AddSingleton<ITrialExecutor, NoOpTrialExecutor>(), store);
            var sweep = new SweepDefinition
            {
                Name = "bench-dispatch",
                File = Path.Combine(directory.FullName, "bench-dispatch.yaml"),
                Backbones = ["tiny"],
                Datasets = ["synthetic:mosei"],
                Seeds = Enumerable.Range(1, settings.Trials).ToList(),
                Retries = 0,
            };
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
            var cpu = process.TotalProcessorTime - cpuBefore;
            var succeeded = progress.Count(CellStatus.Succeeded);
            var table = new Table().Border(TableBorder.Simple).AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
            void Row(string name, FormattableString value) => table.AddRow(name, value.ToString(CultureInfo.InvariantCulture));
            Row("trials succeeded", $"{succeeded} of {settings.Trials}");
            Row("devices", $"{devices}");
            Row("submit (expand, store, queue) s", $"{submitted.TotalSeconds:F2}");
            Row("total s", $"{clock.Elapsed.TotalSeconds:F2}");
            Row("trials/s (target >= 1000)", $"{settings.Trials / clock.Elapsed.TotalSeconds:F0}");
            Row("orchestrator CPU ms per trial", $"{cpu.TotalMilliseconds / settings.Trials:F3}");
            Row("wall ms per trial", $"{clock.Elapsed.TotalMilliseconds / settings.Trials:F3}");
            Row("allocated KiB per trial", $"{(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / settings.Trials:F1}");
            Row("GCs gen0/gen1/gen2", $"{GC.CollectionCount(0) - collectionsBefore[0]}/{GC.CollectionCount(1) - collectionsBefore[1]}/{GC.CollectionCount(2) - collectionsBefore[2]}");
            AnsiConsole.Write(table);
            return succeeded == settings.Trials ? 0 : 1;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
