namespace MseLab.Worker;

/// <summary>What the worker process itself says, around the hosts it builds.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Joining the cluster again as silo generation {Generation} (the previous one ended: {Reason})")]
    public static partial void Rejoining(ILogger logger, int generation, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Rejoined: silo generation {Generation} is up and takes new work")]
    public static partial void Rejoined(ILogger logger, int generation);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Silo generation {Generation} could not start yet ({Error}); trying again in {Seconds} s")]
    public static partial void RejoinFailed(ILogger logger, int generation, string error, double seconds);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Silo generation {Generation}, declared dead, did not stop cleanly ({Error}); starting the next one anyway")]
    public static partial void StopFailed(ILogger logger, int generation, string error);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Silo generation {Generation}, declared dead, was not disposed cleanly ({Error}); this one started regardless")]
    public static partial void DisposeFailed(ILogger logger, int generation, string error);
}
