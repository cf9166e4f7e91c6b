using System.Diagnostics;
using System.Globalization;
using MseLab.Training.Bench;

namespace MseLab.Cli.Commands.Bench;

/// <summary>Runs one memory scenario (<see cref="MemoryBenchmark.Run"/>) in a child mselab of its own, so that peaks do not mix.</summary>
internal static class MemoryScenarioProcess
{
    /// <exception cref="InvalidOperationException">The child failed; its standard error is in the message.</exception>
    public static MemoryScenarioResult Run(string scenario, string model, int? batchSize, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = new ProcessStartInfo(Environment.ProcessPath ?? Path.Combine(AppContext.BaseDirectory, "mselab"),
            ["bench", "memory", "--scenario", scenario, "--model", model]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (batchSize is { } batch)
        {
            info.ArgumentList.Add("--batch-size");
            info.ArgumentList.Add(batch.ToString(CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start a child mselab");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? MemoryBenchmark.FromJson(output.Trim().Split('\n')[^1])
            : throw new InvalidOperationException($"bench memory scenario {scenario} failed (exit {process.ExitCode}): {error.Result.Trim()}");
    }
}
