using System.Diagnostics;
using System.Text;

namespace MseLab.TestSupport;

/// <summary>Result of a finished child process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs real processes for tests: the mselab program and the Python references (Debian's /usr/bin/python3 with
/// numpy, scikit-learn and torch, which scripts/test.sh installs).
/// </summary>
public static class ChildProcess
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="fileName"/> to completion; standard input gets <paramref name="input"/> if given.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> args, string? input = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? "",
        };
        if (input is not null)
        {
            info.StandardInputEncoding = new UTF8Encoding(false);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var limit = timeout ?? TimeSpan.FromMinutes(2);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {limit.TotalSeconds:F0} s");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a reference script that the test project copies next to its binaries; fails loudly if it fails.</summary>
    public static string RunPython(string scriptRelativePath, IEnumerable<string> args, string? input = null)
    {
        var script = Path.Combine(AppContext.BaseDirectory, scriptRelativePath);
        if (!File.Exists(Python))
        {
            throw new FileNotFoundException($"{Python} is missing: the reference tests need Debian's python3 with numpy, scikit-learn and torch (scripts/test.sh installs them).");
        }

        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"Reference script {script} was not copied to the test output.");
        }

        var result = Run(Python, [script, .. args], input);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"{scriptRelativePath} failed with exit code {result.ExitCode}: {result.StandardError}");
    }
}
