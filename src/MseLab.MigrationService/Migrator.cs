using System.Diagnostics;
using MseLab.Data;

namespace MseLab.MigrationService;

/// <summary>Brings the results store's schema up to date, waiting for the database to accept connections, then stops the process.</summary>
public sealed partial class Migrator(ResultsDatabase database, IHostApplicationLifetime lifetime, ILogger<Migrator> logger) : BackgroundService
{
    public const string ActivitySourceName = "MseLab.Migrations";

    private static readonly ActivitySource Source = new(ActivitySourceName);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = Source.StartActivity("migrate results store", ActivityKind.Client);
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                try
                {
                    var pending = await database.PendingMigrationsAsync(stoppingToken);
                    await database.MigrateAsync(stoppingToken);
                    LogMigrated(logger, pending.Count, database.Location);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException && clock.Elapsed < Patience)
                {
                    // The server may still be starting (a fresh container, or a service started alongside).
                    LogWaiting(logger, database.Location, e.GetBaseException().Message);
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.AddException(e);
            LogFailed(logger, database.Location, e.GetBaseException().Message);
            Environment.ExitCode = 1;   // the AppHost shows the resource as failed, and nothing waiting on it starts
        }

        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Results store {Location}: {Count} migration(s) applied, schema current")]
    private static partial void LogMigrated(ILogger logger, int count, string location);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Results store {Location} not reachable yet ({Error}); retrying")]
    private static partial void LogWaiting(ILogger logger, string location, string error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Results store {Location} could not be migrated: {Error}")]
    private static partial void LogFailed(ILogger logger, string location, string error);
}
