using System.Globalization;
using MseLab.Store;
using MseLab.Store.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Workers;

/// <summary><c>mselab worker list --cluster P</c>: registered workers, their devices and what runs on them.</summary>
internal sealed class WorkerListCommand : AsyncCommand<ClusterSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSettings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var clock = new StoreClock(database);
        var registry = new WorkerRegistry(database, clock);
        var workers = await registry.ListAsync(cancellationToken);
        var running = await registry.RunningByDeviceAsync(cancellationToken);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "worker", "state", "last seen", "device", "memory", "running" })
        {
            table.AddColumn(column);
        }

        // Last seen by the database's clock, which wrote it: this machine's may be off.
        var now = await clock.NowAsync(cancellationToken);
        foreach (var w in workers)
        {
            var age = now - w.SeenAt;
            // A worker that stopped heartbeating without saying goodbye (killed, machine down) shows as gone.
            var state = w.State != WorkerState.Stopped && age > TimeSpan.FromSeconds(30) ? "[yellow]gone[/]" : Markup.Escape(Words.Of(w.State));
            foreach (var (d, i) in w.Devices.Select((d, i) => (d, i)))
            {
                table.AddRow(
                    i == 0 ? Markup.Escape(w.Host) : "",
                    i == 0 ? state : "",
                    i == 0 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:0} s ago") : "",
                    Markup.Escape(d.Key),
                    d.MemoryGb > 0 ? string.Create(CultureInfo.InvariantCulture, $"{d.MemoryGb:0.#} GB") : "?",
                    Markup.Escape(running.TryGetValue(d.Key, out var trial) ? trial : ""));
            }
        }

        AnsiConsole.Write(table);
        if (workers.Count == 0)
        {
            AnsiConsole.MarkupLine("No worker has registered yet. Start one with `mselab-worker --profile PROFILE --devices ...`.");
        }

        return 0;
    }
}
