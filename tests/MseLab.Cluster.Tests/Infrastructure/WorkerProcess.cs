using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MseLab.Cluster.Tests.Infrastructure;

/// <summary>A real <c>mselab-worker</c> process with its output kept for assertions.</summary>
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
    public WorkerProcess(string directory, string host, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string program = "mselab-worker")
    {
        Host = host;
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

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

    public string Host { get; }

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
