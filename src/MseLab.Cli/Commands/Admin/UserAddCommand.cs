using System.ComponentModel;
using MseLab.Store;
using MseLab.Store.Records;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Admin;

/// <summary>
/// <c>mselab user add NAME --role R --cluster P</c>: adds a user. Like every admin command it acts with the store's
/// credentials (the profile's connection string): whoever holds those is the lab's administrator, which is how the first
/// admin comes to exist.
/// </summary>
internal sealed class UserAddCommand : AsyncCommand<UserAddCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("The user's name (letters, digits, '.', '_', '-', '@'); sweeps they submit are owned by it.")]
        public string Name { get; init; } = "";

        [CommandOption("--role <ROLE>")]
        [Description("read (results only), submit (also submit and cancel own sweeps) or admin (also anyone's sweeps, workers, users and tokens). Default: submit.")]
        [DefaultValue(UserRole.Submit)]
        public UserRole Role { get; init; } = UserRole.Submit;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Users.Validate(settings.Name);
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        if (!await new Users(database, new StoreClock(database)).AddAsync(settings.Name, settings.Role, cancellationToken))
        {
            throw new ArgumentException($"User {settings.Name} exists already in the results store at {database.Location} (`mselab user list` shows their role).");
        }

        await new AuditLog(database, new StoreClock(database)).RecordAsync(
            CliAuth.StoreActor, AuditActions.UserAdd, settings.Name, CliAuth.Origin, $"role {settings.Role.ToString().ToLowerInvariant()}", cancellationToken);
        AnsiConsole.MarkupLineInterpolated(
            $"Added user {settings.Name} with role {settings.Role.ToString().ToLowerInvariant()}. Give them a token: `mselab token create {settings.Name}{Profile(settings)}`.");
        return 0;
    }

    private static string Profile(ClusterSettings settings) => settings.Cluster is { } p ? $" --cluster {p}" : "";
}
