namespace MseLab.Cli.Tests.Infrastructure;

/// <summary>POSIX signals for process tests (what Ctrl-C sends), through the system's kill command.</summary>
internal static class Signals
{
    public static int Interrupt(int pid) => ProcessRunner.Run("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode;
}
