using Microsoft.Extensions.Logging;
using Orleans.Clustering.Redis;
using StackExchange.Redis;

namespace MseLab.Cluster.Silo;

/// <summary>
/// The Redis connection behind Orleans' cluster membership, made so that losing and regaining it shows in the worker's
/// log (the multiplexer reconnects on its own, with backoff; Orleans itself stays silent through short outages).
/// </summary>
internal static partial class RedisMembershipConnection
{
    public static Func<RedisClusteringOptions, Task<(IConnectionMultiplexer Multiplexer, bool IsShared)>> Factory(ILogger logger) => async options =>
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(options.ConfigurationOptions!);
        connection.ConnectionFailed += (_, e) =>
        {
            var (endPoint, failure) = (e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
            LogLost(logger, endPoint, failure);
        };
        connection.ConnectionRestored += (_, e) =>
        {
            var endPoint = e.EndPoint?.ToString() ?? "?";
            LogRestored(logger, endPoint);
        };
        return (connection, false);   // Orleans owns it and disposes it with the silo
    };

    [LoggerMessage(EventId = 230, Level = LogLevel.Warning, Message = "Redis (cluster membership) at {EndPoint} unreachable ({Failure}); reconnecting with backoff")]
    private static partial void LogLost(ILogger logger, string endPoint, string failure);

    [LoggerMessage(EventId = 231, Level = LogLevel.Information, Message = "Redis (cluster membership) at {EndPoint} reachable again")]
    private static partial void LogRestored(ILogger logger, string endPoint);
}
