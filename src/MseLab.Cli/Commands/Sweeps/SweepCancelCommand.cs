using System.ComponentModel;
using MseLab.Store;
using MseLab.Store.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Sweeps;

/// <summary><c>mselab sweep cancel SWEEP</c>: queued cells are dropped now; running cells checkpoint and stop at their next heartbeat.</summary>
internal sealed class SweepCancelCommand : AsyncCommand<SweepCancelCommand.Settings>
{
    public sealed class Settings : ClusterMutationSettings
    {
        [CommandArgument(0, "<SWEEP>")]
        [Description("The sweep's name (see `mselab sweep status`).")]
        public string Sweep { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var user = SweepOwners.Local;
        if (settings.Cluster is { } profile)
        {
            (user, var role) = await CliAuth.RequireAsync(database, profile, settings.Token, UserRole.Submit, "sweep cancel", cancellationToken);
            if (await new ResultQueries(database).SweepOwnerAsync(settings.Sweep, cancellationToken) is { } owner)
            {
                CliAuth.RequireOwner(settings.Sweep, owner, user, role, "cancels");
            }
        }

        var running = await new SweepSubmissions(database, new StoreClock(database)).CancelAsync(settings.Sweep, cancellationToken);
        await new AuditLog(database, new StoreClock(database)).RecordAsync(
            user, AuditActions.SweepCancel, settings.Sweep, CliAuth.Origin, $"{running.Count} running", cancellationToken);
        AnsiConsole.MarkupLineInterpolated(
            $"Cancelled sweep {settings.Sweep}: queued cells dropped; {running.Count} running cell(s) checkpoint and stop within a heartbeat. `mselab sweep run` on its file resumes it.");
        return 0;
    }
}
