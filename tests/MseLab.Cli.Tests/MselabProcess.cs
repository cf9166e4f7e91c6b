using System.Diagnostics;

namespace MseLab.Cli.Tests;

/// <summary>Runs the built mselab program as a child process.</summary>
internal static class MselabProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args)
    {
        var start = StartInfo();
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException($"mselab {string.Join(' ', args)} did not finish within 30 s");
        }

        return new Result(process.ExitCode, stdout, stderr.Result);
    }

    // The project reference puts the apphost (mselab) and mselab.dll next to the tests. Where no apphost is
    // produced (e.g. UseAppHost=false), run the dll through the dotnet host that runs the tests.
    private static ProcessStartInfo StartInfo()
    {
        var dir = AppContext.BaseDirectory;
        var appHost = Path.Combine(dir, OperatingSystem.IsWindows() ? "mselab.exe" : "mselab");
        if (File.Exists(appHost))
        {
            return new ProcessStartInfo(appHost);
        }

        var dll = Path.Combine(dir, "mselab.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"neither {appHost} nor {dll} exists; MseLab.Cli.Tests must reference MseLab.Cli.");
        }

        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host);
        start.ArgumentList.Add(dll);
        return start;
    }
}
