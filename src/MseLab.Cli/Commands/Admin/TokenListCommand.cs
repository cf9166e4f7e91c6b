using System.ComponentModel;
using System.Globalization;
using MseLab.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Admin;

/// <summary><c>mselab token list [--user U] --cluster P</c>: tokens with user, dates and state; never a secret (the store has none).</summary>
internal sealed class TokenListCommand : AsyncCommand<TokenListCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandOption("--user <USER>")]
        [Description("Only this user's tokens.")]
        public string? User { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var clock = new StoreClock(database);
        var tokens = await new ApiTokens(database, clock).ListAsync(settings.User, cancellationToken);
        var now = await clock.NowAsync(cancellationToken);   // the clock the API checks expiry with
        var table = new Table().Border(TableBorder.Simple).AddColumns("id", "user", "created (UTC)", "expires (UTC)", "state");
        foreach (var token in tokens)
        {
            table.AddRow(token.Id, Markup.Escape(token.User), When(token.CreatedAt), token.ExpiresAt is { } at ? When(at) : "never", token.StateAt(now));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static string When(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
