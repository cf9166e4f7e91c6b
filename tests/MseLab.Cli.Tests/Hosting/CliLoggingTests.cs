using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace MseLab.Cli.Tests.Hosting;

/// <summary>The hosts a command starts log on stderr: a silo's shutdown error once landed in the JSON a script read from stdout.</summary>
public sealed class CliLoggingTests
{
    [Fact]
    public void AddCliConsole_EveryLevelGoesToStderr_OnlyErrorsPass()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddCliConsole());
        using var provider = services.BuildServiceProvider();

        Assert.Equal(LogLevel.Trace, provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.LogToStandardErrorThreshold);
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Messaging");
        Assert.False(logger.IsEnabled(LogLevel.Warning));
        Assert.True(logger.IsEnabled(LogLevel.Error));
    }
}
