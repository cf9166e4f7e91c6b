using System.Globalization;
using MseLab.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Admin;

/// <summary><c>mselab user list --cluster P</c>: every user with role and creation time.</summary>
internal sealed class UserListCommand : AsyncCommand<ClusterSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSettings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var users = await new Users(database, new StoreClock(database)).ListAsync(cancellationToken);
        var table = new Table().Border(TableBorder.Simple).AddColumns("user", "role", "created (UTC)");
        foreach (var user in users)
        {
            table.AddRow(
                Markup.Escape(user.Name),
                user.Role.ToString().ToLowerInvariant(),
                user.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        if (users.Count == 0)
        {
            AnsiConsole.MarkupLine("No users yet. Add one with `mselab user add NAME --role admin --cluster PROFILE`.");
        }

        return 0;
    }
}
