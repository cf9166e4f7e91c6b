using MseLab.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Db;

/// <summary><c>mselab db migrate [--cluster P]</c>: brings the results store's schema up to date (the only way it changes).</summary>
internal sealed class DbMigrateCommand : AsyncCommand<ClusterSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSettings settings, CancellationToken cancellationToken)
    {
        using var database = new ResultsDatabase(LocalStore.OptionsOf(settings.Cluster));
        IReadOnlyList<string> pending;
        try
        {
            pending = await database.PendingMigrationsAsync(cancellationToken);
            await database.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ClusterUnavailableException($"Could not migrate the results store at {database.Location}: {e.Message}", e);
        }

        AnsiConsole.MarkupLineInterpolated(
            $"Results store at {database.Location} ({database.Provider}): {(pending.Count == 0 ? "already current" : $"applied {string.Join(", ", pending)}")}.");
        return 0;
    }
}
