using MseLab.TestSupport;

namespace MseLab.Cluster.Tests.Infrastructure;

/// <summary>
/// What a sweep's results are without any interruption: the sweep run once on the embedded default (one process, no
/// cluster), its <c>mselab results --format json</c> kept for every test of a class that runs the same sweep file.
/// </summary>
public sealed class UninterruptedRun : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mselab-uninterrupted-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Dictionary<string, string> _results = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The results JSON of <paramref name="sweepFile"/> (a sweep named <paramref name="sweep"/>) run without interruption.</summary>
    public async Task<string> ResultsAsync(string sweepFile, string sweep)
    {
        var yaml = await File.ReadAllTextAsync(sweepFile);
        await _gate.WaitAsync();
        try
        {
            if (_results.TryGetValue(yaml, out var known))
            {
                return known;
            }

            var folder = Path.Combine(_directory, _results.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            File.Copy(sweepFile, Path.Combine(folder, sweep + ".yaml"));
            var mselab = Path.Combine(AppContext.BaseDirectory, "mselab");
            var run = ChildProcess.Run(mselab, ["sweep", "run", sweep + ".yaml", "--workers", "1"], timeout: TimeSpan.FromMinutes(3), workingDirectory: folder);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"the uninterrupted run of {sweep} failed ({run.ExitCode}): {run.StandardOutput}{run.StandardError}");
            }

            var results = ChildProcess.Run(mselab, ["results", "--sweep", sweep, "--format", "json"], workingDirectory: folder).StandardOutput;
            _results[yaml] = results;
            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // no test asked for a run
        }
    }
}
