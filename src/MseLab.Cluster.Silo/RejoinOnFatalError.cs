using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MseLab.Cluster.Silo;

/// <summary>
/// Replaces Orleans' fatal-error handler, which ends the process at once (<c>Environment.FailFast</c>) when the silo
/// learns that the cluster declared it dead: here the host stops gracefully instead (its running trials are cancelled,
/// and every store write they still make is refused by the store's attempt guards, since their cells were reclaimed)
/// and <see cref="SiloRejoin"/> tells the process to start a new silo generation, which joins the cluster again.
/// </summary>
public sealed partial class RejoinOnFatalError(SiloRejoin rejoin, IHostApplicationLifetime lifetime, ILogger<RejoinOnFatalError> logger) : IFatalErrorHandler
{
    // Orleans asks this of exceptions caught in its own loops; its default answers yes to all but thread aborts, which
    // .NET no longer raises.
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        var reason = context ?? exception?.Message ?? "a fatal error in the silo";
        LogStopping(logger, exception, sender?.GetType().Name ?? "Orleans", reason, rejoin.Generation);
        rejoin.Request(reason);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 225, Level = LogLevel.Error, Message = "Silo generation {Generation} is over ({Sender}: {Reason}): the cluster declared this worker dead. Its running trials stop (the store refuses every write for an attempt reclaimed meanwhile), then it joins again as a new generation")]
    private static partial void LogStopping(ILogger logger, Exception? exception, string sender, string reason, int generation);
}
