using System.Diagnostics;
using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Train;

/// <summary>mselab train as a real process: result file, Ctrl-C, SIGKILL, resume.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] Args(string output, int epochs = 4) =>
    [
        "train", "--backbone", TinyBackbones.Directory, "--dataset", "synthetic:mosei?train=160&valid=32&test=32",
        "--seed", "2222", "--lr", "5e-3", "--warm-up-epochs", "3", "--max-epochs", $"{epochs}", "--out", output,
        .. epochs > 4 ? new[] { "--early-stop", $"{epochs}" } : [],
    ];

    [Fact]
    public void Train_KilledAfterAnEpochThenRerun_EqualsUninterruptedRun()
    {
        var reference = ProcessRunner.Mselab(Args(Path.Combine(_dir, "reference")));
        Assert.True(reference.ExitCode == 0, reference.StandardError);

        var killed = Path.Combine(_dir, "killed");
        using (var process = Start(Args(killed)))
        {
            WaitFor(() => File.Exists(Path.Combine(killed, "checkpoint", "latest", "state.json")), process);
            process.Kill();   // SIGKILL: no chance to checkpoint
            process.WaitForExit();
        }

        Assert.False(File.Exists(Path.Combine(killed, "result.json")));
        var resumed = ProcessRunner.Mselab(Args(killed));

        Assert.True(resumed.ExitCode == 0, resumed.StandardError);
        Assert.Equal(TestMetrics(Path.Combine(_dir, "reference")), TestMetrics(killed));
    }

    [Fact]
    public void Train_CtrlC_CheckpointsExitsCleanlyAndRerunFinishes()
    {
        // Enough epochs after the first checkpoint that the signal always lands mid-training, even on a loaded machine.
        var output = Path.Combine(_dir, "interrupted");
        using (var process = Start(Args(output, epochs: 16)))
        {
            WaitFor(() => File.Exists(Path.Combine(output, "checkpoint", "latest", "state.json")), process);
            Assert.Equal(0, Signals.Interrupt(process.Id));
            Assert.True(process.WaitForExit(60_000), "mselab did not stop after SIGINT");
            Assert.Equal(130, process.ExitCode);
            // The console wraps long lines: compare with whitespace collapsed.
            var said = string.Join(' ', process.StandardOutput.ReadToEnd().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("run the same command again to resume", said, StringComparison.Ordinal);
        }

        var rerun = ProcessRunner.Mselab(Args(output, epochs: 16));

        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        Assert.True(File.Exists(Path.Combine(output, "result.json")));
    }

    [Fact]
    public void Train_ResultJson_HasConfigCurvesBestEpochTestMetricsAndTiming()
    {
        var output = Path.Combine(_dir, "run");
        var result = ProcessRunner.Mselab(Args(output));

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "result.json")));
        var root = json.RootElement;
        Assert.Equal(2222, root.GetProperty("Trial").GetProperty("Seed").GetInt32());
        Assert.Equal(4, root.GetProperty("Epochs").GetArrayLength());
        Assert.InRange(root.GetProperty("BestEpoch").GetInt32(), 1, 4);
        Assert.True(root.GetProperty("Test").TryGetProperty("has0_acc2", out _));
        Assert.True(root.GetProperty("Timing").GetProperty("TotalSeconds").GetDouble() > 0);
        Assert.Contains("test metrics", result.StandardOutput, StringComparison.Ordinal);
    }

    private static Dictionary<string, double> TestMetrics(string output)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "result.json")));
        return json.RootElement.GetProperty("Test").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    private static Process Start(string[] args)
    {
        // A run launched as a background job of a non-interactive shell (`.ci/run &`, nohup) ignores SIGINT, every child
        // inherits the ignore, and .NET keeps an inherited ignore: mselab would never see the Ctrl-C this class sends.
        // Then Python restores the default disposition and execs mselab (same pid), as a terminal would have it.
        var info = SigintIgnored()
            ? new ProcessStartInfo(ChildProcess.Python) { ArgumentList = { "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])", ProcessRunner.MselabPath } }
            : new ProcessStartInfo(ProcessRunner.MselabPath);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    /// <summary>Whether this process ignores SIGINT (bit 1 of SigIgn in /proc/self/status).</summary>
    private static bool SigintIgnored() =>
        (ulong.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim(),
            System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & 0x2) != 0;

    private static void WaitFor(Func<bool> condition, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited)
            {
                Assert.Fail($"mselab exited early: {process.StandardError.ReadToEnd()}");
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no checkpoint appeared within 2 minutes");
            Thread.Sleep(50);
        }
    }
}
