using System.Diagnostics;

namespace MseLab.Cli.Hosts;

/// <summary>iproute2's <c>ip</c>, run to its end; a failure names the command and what it printed.</summary>
internal static class IpCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <c>ip ARGS</c> and returns its output.</summary>
    /// <exception cref="LabHostsException">It failed or did not end within 30 s.</exception>
    public static string Run(IReadOnlyList<string> args) =>
        TryRun(args, out var error) ?? throw new LabHostsException($"`ip {string.Join(' ', args)}` failed: {error}");

    /// <summary>Runs <c>ip ARGS</c>; null when it fails.</summary>
    public static string? TryRun(IReadOnlyList<string> args) => TryRun(args, out _);

    private static string? TryRun(IReadOnlyList<string> args, out string error)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            error = $"cannot run `ip` ({e.Message}); install iproute2";
            return null;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill();
                error = $"no answer within {Timeout.TotalSeconds:0} s";
                return null;
            }

            error = errors.Result.Trim();
            return process.ExitCode == 0 ? output.Result : null;
        }
    }
}
