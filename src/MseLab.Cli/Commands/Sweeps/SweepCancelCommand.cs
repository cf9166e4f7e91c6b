using System.ComponentModel;
using MseLab.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Sweeps;

/// <summary><c>mselab sweep cancel SWEEP</c>: queued cells are dropped now; running cells checkpoint and stop at their next heartbeat.</summary>
internal sealed class SweepCancelCommand : AsyncCommand<SweepCancelCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandArgument(0, "<SWEEP>")]
        [Description("The sweep's name (see `mselab sweep status`).")]
        public string Sweep { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var running = await new SweepSubmissions(database, TimeProvider.System).CancelAsync(settings.Sweep, cancellationToken);
        AnsiConsole.MarkupLineInterpolated(
            $"Cancelled sweep {settings.Sweep}: queued cells dropped; {running.Count} running cell(s) checkpoint and stop within a heartbeat. `mselab sweep run` on its file resumes it.");
        return 0;
    }
}
