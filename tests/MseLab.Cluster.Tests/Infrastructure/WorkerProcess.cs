using System.Diagnostics;
using System.Globalization;
using System.Text;
using MseLab.Cli.Hosts;

namespace MseLab.Cluster.Tests.Infrastructure;

/// <summary>A real <c>mselab-worker</c> process with its output kept for assertions, on this machine or on a lab host (its own network namespace).</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();

    /// <param name="directory">The working directory.</param>
    /// <param name="host">The worker's name.</param>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Variables to set over the test's own; a null value removes the variable.</param>
    /// <param name="program">The program, in the test's folder (default <c>mselab-worker</c>; <c>mselab</c> for <c>bench worker</c>).</param>
    /// <param name="on">The lab host to run on (<c>ip netns exec</c>, same process id); null: this machine's network.</param>
    public WorkerProcess(
        string directory, string host, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string program = "mselab-worker", LabHost? on = null)
    {
        Host = host;
        On = on;
        var path = Path.Combine(AppContext.BaseDirectory, program);
        ProcessStartInfo info;
        if (on is null)
        {
            info = new ProcessStartInfo(path);
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }
        }
        else
        {
            info = on.StartInfo(path, args);
        }

        (info.RedirectStandardOutput, info.RedirectStandardError, info.UseShellExecute, info.WorkingDirectory) = (true, true, false, directory);

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start mselab-worker");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The worker's name.</summary>
    public string Host { get; }

    /// <summary>The lab host it runs on; null on this machine's own network.</summary>
    public LabHost? On { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Waits until the log has <paramref name="text"/>; fails with the log if it never comes or the process exits.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"worker {Host} did not log '{text}' within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}). Log:\n{Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown, no last words.</summary>
    public void Kill() => _process.Kill();

    public void Signal(string signal) =>
        Process.Start("kill", [$"-{signal}", Pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal("CONT");
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.AppendLine(line);
        }
    }
}
