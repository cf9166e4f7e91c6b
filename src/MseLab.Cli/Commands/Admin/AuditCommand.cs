using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using MseLab.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Admin;

/// <summary><c>mselab audit [--since 7d] [--user U] --cluster P</c>: the recorded mutations, oldest first.</summary>
internal sealed class AuditCommand : AsyncCommand<AuditCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandOption("--since <WHEN>")]
        [Description("Only rows from this UTC time on (2026-12-01 or 2026-12-01T08:00) or this long ago (" + DurationText.Examples + ").")]
        public string? Since { get; init; }

        [CommandOption("--user <USER>")]
        [Description("Only what this user did.")]
        public string? User { get; init; }

        [CommandOption("--json")]
        [Description("Print the rows as a JSON array instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Since is null || From(Since, DateTime.UtcNow) is not null
                ? ValidationResult.Success()
                : ValidationResult.Error($"--since {Since} is neither a UTC date (2026-12-01, 2026-12-01T08:00) nor a duration ({DurationText.Examples}).");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(settings.Cluster, cancellationToken);
        var since = settings.Since is { } text ? From(text, DateTime.UtcNow) : null;
        var rows = await new AuditLog(database, new StoreClock(database)).ListAsync(since, settings.User, cancellationToken: cancellationToken);
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows));
            return 0;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("at (UTC)", "user", "action", "target", "from", "detail");
        foreach (var row in rows)
        {
            table.AddRow(
                row.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(row.User), row.Action, Markup.Escape(row.Target), Markup.Escape(row.Origin), Markup.Escape(row.Detail));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static DateTime? From(string text, DateTime now) =>
        DurationText.Parse(text) is { } ago ? now - ago
        : DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at
        : null;
}
