using System.ComponentModel;
using Microsoft.Extensions.Hosting;
using MseLab.Cluster.Client;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;
using MseLab.Grains;
using MseLab.Models.Runtime;
using MseLab.Store;
using MseLab.Store.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Sweeps;

/// <summary>
/// <c>mselab sweep run FILE</c>: validate, store and queue a sweep, run it on the embedded cluster with a live table,
/// then print the leaderboard. Rerunning continues where a stop (Ctrl-C, SIGKILL, crash) left it.
/// </summary>
internal sealed class SweepRunCommand : AsyncCommand<SweepRunCommand.Settings>
{
    public sealed class Settings : ClusterMutationSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("Sweep file (YAML), e.g. experiments/quickstart.yaml.")]
        public string File { get; init; } = "";

        [CommandOption("--workers <N>")]
        [Description("CPU devices of the embedded cluster, i.e. trials run at once (default 1; on 2 cores, 2 is the most that helps).")]
        [DefaultValue(1)]
        public int Workers { get; init; } = 1;

        [CommandOption("--threads <N>")]
        [Description("Intra-op CPU threads shared by all trials of this process (default 1).")]
        [DefaultValue(1)]
        public int Threads { get; init; } = 1;

        [CommandOption("--detach")]
        [Description("With --cluster: return once the sweep is queued (follow it with `mselab sweep status`).")]
        public bool Detach { get; init; }

        [CommandOption("--rerun-failed")]
        [Description("Queue the cells that failed before (finished cells are never redone).")]
        public bool RerunFailed { get; init; }

        [CommandOption("--data-root <DIR>")]
        [Description("Folder with the paper datasets in the official layout (MOSEI/Processed/unaligned_50.pkl, MELD/meld_train.pkl, ...); overrides the sweep's data_root, which overrides MSELAB_DATA_ROOT. Stored datasets named without a hash (mosei) are pinned to the content hash of their files here when the sweep is submitted: the hash is part of each trial's identity, and workers run a trial only on a copy with that hash. Embedded runs read their data here too.")]
        public string? DataRoot { get; init; }

        public override ValidationResult Validate() =>
            Workers is < 1 or > 64 ? ValidationResult.Error("--workers must be between 1 and 64.")
            : Threads < 1 ? ValidationResult.Error("--threads must be at least 1.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var sweep = SweepParser.Parse(settings.File);   // every error, with file:line:column, before anything is stored
        var root = DataRoot.Resolve(settings.DataRoot, sweep);
        if (settings.Cluster is { } profile)
        {
            // Datasets pinned in the file are the workers' to check: this machine need not hold a copy of them.
            return await RunOnClusterAsync(StoredDatasetsConsole.Pin(sweep, root, verifyPinned: false), profile, settings, cancellationToken);
        }

        // Here the in-process worker reads the data: every stored dataset must be under the root with its pinned hash.
        sweep = StoredDatasetsConsole.Pin(sweep, root, verifyPinned: true);

        TorchRuntime.SetThreads(settings.Threads);
        foreach (var preset in sweep.Backbones.OfType<PresetBackbone>())
        {
            TinyBackboneConsole.Locate(preset);   // made here first, with a progress bar, rather than silently by a trial
        }

        await using var cluster = await EmbeddedCluster.StartAsync(settings.Workers, settings.Threads, root?.Path);
        var submitter = cluster.Get<SweepSubmitter>();
        var reclaimed = await submitter.ReclaimAsync(sweep.Name, staleBefore: null, cancellationToken);
        var outcome = await submitter.SubmitAsync(sweep, settings.RerunFailed, cancellationToken);
        await cluster.Get<AuditLog>().RecordAsync(SweepOwners.Local, AuditActions.SweepSubmit, sweep.Name, CliAuth.Origin, Detail(outcome), cancellationToken);
        AnsiConsole.MarkupLineInterpolated(
            $"Sweep [bold]{sweep.Name}[/]: {outcome.Added} new, {outcome.Requeued + reclaimed} resumed or requeued, {outcome.AlreadyDone} already finished, {outcome.AlreadyQueued} waiting; {settings.Workers} worker(s). Store: {cluster.Get<ResultsDatabase>().Location}");

        var lifetime = cluster.Get<IHostApplicationLifetime>();
        var grain = cluster.Get<IGrainFactory>().GetGrain<ISweepGrain>(sweep.Name);
        var progress = await SweepLiveView.FollowAsync(grain, lifetime.ApplicationStopping);
        if (lifetime.ApplicationStopping.IsCancellationRequested || !progress.Finished)
        {
            AnsiConsole.MarkupLine("Interrupted: running trials checkpointed. Run the same command to continue.");
            return 130;
        }

        return await FinishAsync(cluster.Get<ResultQueries>(), sweep.Name, progress, $"mselab sweep status {sweep.Name}", cancellationToken);
    }

    // Lab cluster: the workers run the trials; this process submits and follows. Ctrl-C detaches, the sweep goes on.
    private static async Task<int> RunOnClusterAsync(SweepDefinition sweep, string profile, Settings settings, CancellationToken cancellationToken)
    {
        // Checked in the store before the cluster is dialled: a refused submission stores and sends nothing.
        string user;
        using (var database = await LocalStore.OpenAsync(profile, cancellationToken))
        {
            (user, var role) = await CliAuth.RequireAsync(database, profile, settings.Token, UserRole.Submit, "sweep run", cancellationToken);
            if (await new ResultQueries(database).SweepOwnerAsync(sweep.Name, cancellationToken) is { } owner)
            {
                CliAuth.RequireOwner(sweep.Name, owner, user, role, "resubmits");
            }
        }

        await using var cluster = await ClusterConnection.StartAsync(profile, cancellationToken);
        var submitter = cluster.Get<SweepSubmitter>();
        var outcome = await submitter.SubmitAsync(sweep, settings.RerunFailed, user, cancellationToken);
        await cluster.Get<AuditLog>().RecordAsync(user, AuditActions.SweepSubmit, sweep.Name, CliAuth.Origin, Detail(outcome), cancellationToken);
        var up = await submitter.AnyWorkerUpAsync(TimeSpan.FromSeconds(30), cancellationToken);
        AnsiConsole.MarkupLineInterpolated(
            $"Sweep [bold]{sweep.Name}[/] on the cluster of {profile}: {outcome.Added} new, {outcome.Requeued} requeued, {outcome.AlreadyDone} already finished, {outcome.AlreadyQueued} waiting or running.");
        if (!up)
        {
            AnsiConsole.MarkupLine("[yellow]No worker is up[/]: the trials wait in the queue until one starts (`mselab worker list`).");
        }

        if (settings.Detach)
        {
            AnsiConsole.MarkupLineInterpolated($"Queued. Follow it with `mselab sweep status {sweep.Name} --cluster {profile}`.");
            return 0;
        }

        using var interrupt = new InterruptSignal(cancellationToken);
        var grain = cluster.Get<IGrainFactory>().GetGrain<ISweepGrain>(sweep.Name);
        var progress = await SweepLiveView.FollowAsync(grain, interrupt.Token);
        if (!progress.Finished)
        {
            AnsiConsole.MarkupLine("Detached: the sweep goes on in the cluster. `mselab sweep status` follows it, `mselab sweep cancel` stops it.");
            return 130;
        }

        return await FinishAsync(cluster.Get<ResultQueries>(), sweep.Name, progress, $"mselab sweep status {sweep.Name} --cluster {profile}", cancellationToken);
    }

    private static string Detail(SubmitOutcome outcome) =>
        $"{outcome.Added} new, {outcome.Requeued} requeued, {outcome.AlreadyDone} done, {outcome.AlreadyQueued} waiting";

    // The leaderboard of a finished sweep, and the exit code: 1 when cells failed or the sweep was cancelled.
    private static async Task<int> FinishAsync(ResultQueries queries, string sweep, SweepProgress progress, string statusCommand, CancellationToken cancellationToken)
    {
        // Aggregated in the database: a sweep of thousands of cells sends back one row per seed group and metric.
        LeaderboardView.Write(await queries.LeaderboardAsync(sweep, cancellationToken: cancellationToken), LeaderboardFormat.Table);
        var failed = progress.Count(TrialStatus.Failed);
        if (failed > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{failed} cell(s) failed[/]; `{statusCommand}` shows the attempts and reasons, `--rerun-failed` runs them again.");
            return 1;
        }

        return progress.Cancelled ? 1 : 0;
    }
}
