using System.ComponentModel;
using MseLab.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Admin;

/// <summary><c>mselab token revoke ID --cluster P</c>: the token stops working at once (the API checks the store on every request).</summary>
internal sealed class TokenRevokeCommand : AsyncCommand<TokenRevokeCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("The token's id: the part after mselab_ (see `mselab token list`).")]
        public string Id { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        if (!await new ApiTokens(database, new StoreClock(database)).RevokeAsync(settings.Id, cancellationToken))
        {
            throw new KeyNotFoundException($"No active token {settings.Id} in the results store at {database.Location}; `mselab token list` shows the tokens and their state.");
        }

        await new AuditLog(database, new StoreClock(database)).RecordAsync(CliAuth.StoreActor, AuditActions.TokenRevoke, settings.Id, CliAuth.Origin, "", cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Revoked token {settings.Id}: the API and the command line refuse it from now on.");
        return 0;
    }
}
