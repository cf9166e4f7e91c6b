using System.Diagnostics;
using MseLab.Store;
using Polly;
using Polly.Retry;

namespace MseLab.MigrationService;

/// <summary>Brings the results store's schema up to date, waiting for the database to accept connections, then stops the process.</summary>
public sealed partial class Migrator(ResultsDatabase database, IHostApplicationLifetime lifetime, ILogger<Migrator> logger) : BackgroundService
{
    public const string ActivitySourceName = "MseLab.Migrations";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    // The server may still be starting (a fresh container, or a service started alongside): every 2 s for about 2 minutes.
    private ResiliencePipeline Patience => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            BackoffType = DelayBackoffType.Constant,
            Delay = TimeSpan.FromSeconds(2),
            MaxRetryAttempts = 60,
            OnRetry = args =>
            {
                LogWaiting(logger, database.Location, args.Outcome.Exception?.GetBaseException().Message ?? "?");
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = Source.StartActivity("migrate results store", ActivityKind.Client);
        try
        {
            await Patience.ExecuteAsync(
                async ct =>
                {
                    var pending = await database.PendingMigrationsAsync(ct);
                    await database.MigrateAsync(ct);
                    LogMigrated(logger, pending.Count, database.Location);
                },
                stoppingToken);
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
