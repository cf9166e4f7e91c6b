using System.Diagnostics;

namespace MseLab.Cli.Tests.Infrastructure;

/// <summary>Result of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs the real mselab program and the Python references as processes.</summary>
public static class ProcessRunner
{
    /// <summary>Debian's python3 carries numpy, scikit-learn and torch (scripts/test.sh installs them).</summary>
    public const string Python = "/usr/bin/python3";

    public static string MselabPath => Path.Combine(AppContext.BaseDirectory, "mselab");

    public static ProcessResult Mselab(params string[] args) => Run(MselabPath, args);

    public static ProcessResult PythonScript(string script, params string[] args) =>
        Run(Python, [Path.Combine(AppContext.BaseDirectory, "Reference", script), .. args]);

    public static ProcessResult Run(string fileName, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
