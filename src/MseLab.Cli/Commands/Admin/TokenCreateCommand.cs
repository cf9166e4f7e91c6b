using System.ComponentModel;
using System.Globalization;
using MseLab.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Admin;

/// <summary><c>mselab token create USER [--expires 30d] --cluster P</c>: issues an API token and prints it, the only time it is shown.</summary>
internal sealed class TokenCreateCommand : AsyncCommand<TokenCreateCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandArgument(0, "<USER>")]
        [Description("The user the token acts as (see `mselab user list`).")]
        public string User { get; init; } = "";

        [CommandOption("--expires <DURATION>")]
        [Description("How long the token works: " + DurationText.Examples + ", or never. Default: 90d.")]
        [DefaultValue("90d")]
        public string Expires { get; init; } = "90d";

        public override ValidationResult Validate() =>
            Expires == "never" || DurationText.Parse(Expires) is not null
                ? ValidationResult.Success()
                : ValidationResult.Error($"--expires {Expires} is not a duration; use {DurationText.Examples}, or never.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var issued = await new ApiTokens(database, new StoreClock(database)).CreateAsync(settings.User, DurationText.Parse(settings.Expires), cancellationToken);
        await new AuditLog(database, new StoreClock(database)).RecordAsync(
            CliAuth.StoreActor, AuditActions.TokenCreate, issued.Id, CliAuth.Origin, $"for {issued.User}, expires {Expiry(issued.ExpiresAt)}", cancellationToken);

        // Plain lines, no markup: the token must survive copy and paste, and scripts read the line that starts with the prefix.
        Console.WriteLine($"Token {issued.Id} for {issued.User}, expires {Expiry(issued.ExpiresAt)}:");
        Console.WriteLine(issued.Token);
        Console.WriteLine(
            $"It is shown only now (the store keeps its hash). Use it as `--token`, {ClusterMutationSettings.TokenVariable} or {CliAuth.ProfileTokenKey} in the profile, or `Authorization: Bearer` for the API; `mselab token revoke {issued.Id}` ends it.");
        return 0;
    }

    private static string Expiry(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "never";
}
