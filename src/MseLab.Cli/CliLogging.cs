using Microsoft.Extensions.Logging;

namespace MseLab.Cli;

/// <summary>How the hosts inside a command log: errors only, one line each, on stderr, so that stdout carries only what
/// the command prints (a table, or the JSON a script reads).</summary>
internal static class CliLogging
{
    public static ILoggingBuilder AddCliConsole(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        return logging
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter(level => level >= LogLevel.Error);
    }
}
