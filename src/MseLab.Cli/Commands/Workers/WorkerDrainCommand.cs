using System.ComponentModel;
using MseLab.Grains;
using MseLab.Store;
using MseLab.Store.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Workers;

/// <summary><c>mselab worker drain HOST --cluster P</c>: the worker's running trials checkpoint and hand back, then it exits.</summary>
internal sealed class WorkerDrainCommand : AsyncCommand<WorkerDrainCommand.Settings>
{
    public sealed class Settings : ClusterMutationSettings
    {
        [CommandArgument(0, "<HOST>")]
        [Description("The worker's name (see `mselab worker list`).")]
        public string Host { get; init; } = "";

        [CommandOption("--no-wait")]
        [Description("Return once the drain is requested instead of waiting for the worker to stop.")]
        public bool NoWait { get; init; }

        public override ValidationResult Validate() =>
            Cluster is null ? ValidationResult.Error("worker drain needs --cluster PROFILE (or MSELAB_PROFILE).") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Checked in the store before the cluster is dialled: a refused drain reaches no worker.
        string user;
        using (var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken))
        {
            (user, _) = await CliAuth.RequireAsync(database, settings.Cluster!, settings.Token, UserRole.Admin, "worker drain", cancellationToken);
        }

        await using var cluster = await ClusterConnection.StartAsync(settings.Cluster!, cancellationToken);
        var registry = cluster.Get<WorkerRegistry>();
        var workers = await registry.ListAsync(cancellationToken);
        if (workers.All(w => w.Host != settings.Host))
        {
            throw new KeyNotFoundException($"No worker named '{settings.Host}' is registered ({string.Join(", ", workers.Select(w => w.Host))}). `mselab worker list` shows them.");
        }

        await cluster.Get<IGrainFactory>().GetGrain<IWorkerControlGrain>(IWorkerControlGrain.KeyOf(settings.Host)).DrainAsync();
        await cluster.Get<AuditLog>().RecordAsync(user, AuditActions.WorkerDrain, settings.Host, CliAuth.Origin, "", cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Draining {settings.Host}: running trials checkpoint and go back to the queue.");
        if (settings.NoWait)
        {
            return 0;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            var state = (await registry.ListAsync(cancellationToken)).First(w => w.Host == settings.Host).State;
            if (state == WorkerState.Stopped)
            {
                AnsiConsole.MarkupLineInterpolated($"{settings.Host} stopped; its trials are queued again and resume from their checkpoints elsewhere.");
                return 0;
            }
        }

        AnsiConsole.MarkupLineInterpolated($"[yellow]{settings.Host} has not stopped within 3 minutes[/]; its cells are taken back when its lease runs out.");
        return 1;
    }
}
