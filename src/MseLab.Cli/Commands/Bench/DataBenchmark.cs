using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MseLab.Datasets.Cache;
using MseLab.Experiments.Datasets;

using static System.FormattableString;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// What <c>mselab bench data</c> measures on a generated MOSEI-shaped pickle: Python's <c>pickle.load</c> of it (the
/// anchor), the hash and the preparation of the cache, the open time, and the memory of readers mapping the cache.
/// </summary>
internal static class DataBenchmark
{
    private const int PythonRuns = 3;
    private const int ConcurrentReaders = 4;
    private const double OpenTargetSeconds = 1.0;
    private const double SharingTarget = 1.1;

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "bench", name);

    private static string Mselab => Environment.ProcessPath ?? Path.Combine(AppContext.BaseDirectory, "mselab");

    public static DataBenchFigures Run(string work, double sizeGb, Action<string> say, CancellationToken cancellationToken)
    {
        var root = Path.Combine(work, "data");
        var file = Path.Combine(root, "MOSEI", "Processed", "unaligned_50.pkl");
        if (File.Exists(file))
        {
            say($"reusing {file}");
        }
        else
        {
            say(Invariant($"writing a MOSEI-shaped pickle of about {sizeGb} GB with numpy..."));
            Python(Script("make_mosei_pickle.py"), root, "--size-gb", sizeGb.ToString(CultureInfo.InvariantCulture));
        }

        var sourceMb = new FileInfo(file).Length / 1048576.0;
        cancellationToken.ThrowIfCancellationRequested();
        say($"pickle.load x{PythonRuns}...");
        var loads = Enumerable.Range(0, PythonRuns).Select(_ => JsonSerializer.Deserialize<PythonLoad>(Python(Script("pickle_load.py"), file), SnakeCase)!).ToList();
        var pythonSeconds = Median(loads.Select(l => l.Seconds));

        // The hash index trusts only files older than its racy window; a file written seconds ago would be hashed anew by
        // every reader below, which is not what a trial on a dataset downloaded earlier pays.
        var age = DateTime.UtcNow - File.GetLastWriteTimeUtc(file);
        if (age < TimeSpan.FromSeconds(3))
        {
            Thread.Sleep(TimeSpan.FromSeconds(3) - age);
        }

        cancellationToken.ThrowIfCancellationRequested();
        say("hash, then prepare (cold: an empty cache folder)...");
        var hashFolder = Fresh(Path.Combine(work, "hash-only"));
        var clock = Stopwatch.StartNew();
        var hash = new DatasetCache(hashFolder).Hash(root, PaperDataset.Mosei);
        var hashSeconds = clock.Elapsed.TotalSeconds;

        var cacheFolder = Fresh(Path.Combine(work, "cache"));
        var cache = new DatasetCache(cacheFolder);
        clock.Restart();
        var prepared = cache.Prepare(root, PaperDataset.Mosei);
        var prepareSeconds = clock.Elapsed.TotalSeconds;
        if (prepared != hash)
        {
            throw new InvalidOperationException($"prepare hashed {prepared}, the hash alone gave {hash}");
        }

        clock.Restart();
        int samples;
        using (var opened = cache.Open(root, PaperDataset.Mosei))
        {
            samples = opened.Splits.Sum(s => s.Count);
        }

        var openInProcess = clock.Elapsed.TotalSeconds;
        var cacheMb = Directory.EnumerateFiles(cache.FolderOf(PaperDataset.Mosei, hash)).Sum(f => new FileInfo(f).Length) / 1048576.0;

        cancellationToken.ThrowIfCancellationRequested();
        say("1 reader process, then 4 at once (each maps the cache and reads every feature value)...");
        var one = Readers(root, cacheFolder, 1);
        var four = Readers(root, cacheFolder, ConcurrentReaders);
        var all = one.Concat(four).ToList();
        var readerOpen = Median(all.Select(r => r.Report.OpenSeconds));
        var cachePssFour = four.Sum(r => r.Memory.FolderPssMb);
        return new DataBenchFigures
        {
            SizeGbRequested = sizeGb,
            SourceMb = sourceMb,
            Samples = samples,
            PythonLoadSeconds = pythonSeconds,
            PythonLoadRuns = [.. loads.Select(l => l.Seconds)],
            PythonLoadMbPerS = sourceMb / pythonSeconds,
            PythonPeakRssMb = loads.Max(l => l.PeakRssMb),
            HashSeconds = hashSeconds,
            HashMbPerS = sourceMb / hashSeconds,
            PrepareSeconds = prepareSeconds,
            PrepareMbPerS = sourceMb / prepareSeconds,
            PrepareVsPickleLoad = pythonSeconds / prepareSeconds,
            CacheMb = cacheMb,
            OpenSecondsInProcess = openInProcess,
            ReaderOpenSeconds = readerOpen,
            ReaderReadySeconds = Median(all.Select(r => r.ReadySeconds)),
            ReaderTouchSeconds = Median(all.Select(r => r.Report.TouchSeconds)),
            OpenVsPickleLoad = pythonSeconds / readerOpen,
            OneReader = one[0].Memory,
            FourReaders = [.. four.Select(r => r.Memory)],
            FourVsOneRss = four.Sum(r => r.Memory.RssMb) / one[0].Memory.RssMb,
            FourVsOnePss = four.Sum(r => r.Memory.PssMb) / one[0].Memory.PssMb,
            FourVsOneCachePss = cachePssFour / one[0].Memory.FolderPssMb,
            OpenWithinTarget = readerOpen < OpenTargetSeconds,
            SharingWithinTarget = cachePssFour <= SharingTarget * one[0].Memory.FolderPssMb,
        };
    }

    /// <summary>The reader process: map the cache, read every feature value, report, then hold the mapping until stdin closes.</summary>
    public static int Reader(string root, string cacheFolder)
    {
        var clock = Stopwatch.StartNew();
        using var prepared = new DatasetCache(cacheFolder).Open(root, PaperDataset.Mosei);
        var open = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var (values, finite) = (0L, 0.0);
        foreach (var split in prepared.Splits)
        {
            for (var i = 0; i < split.Count; i++)
            {
                foreach (var feature in new[] { split.Audio(i), split.Vision(i) })
                {
                    foreach (var value in feature.Span)
                    {
                        finite += float.IsFinite(value) ? value : 0;
                    }

                    values += feature.Length;
                }
            }
        }

        var report = new ReaderReport(open, clock.Elapsed.TotalSeconds, values, finite);
        Console.Out.WriteLine(JsonSerializer.Serialize(report, SnakeCase));
        Console.Out.Flush();
        Console.In.ReadToEnd();
        return 0;
    }

    private static List<(ReaderReport Report, double ReadySeconds, ProcessMemory Memory)> Readers(string root, string cacheFolder, int count)
    {
        var processes = new List<(Process Process, Stopwatch Clock)>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var info = new ProcessStartInfo(Mselab, ["bench", "data", "--reader-root", root, "--reader-cache", cacheFolder])
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                processes.Add((Process.Start(info) ?? throw new InvalidOperationException($"could not start {Mselab}"), Stopwatch.StartNew()));
            }

            // All must have read everything before any is measured: PSS divides a page among the processes mapping it now.
            var reports = processes.Select(p =>
            {
                var line = p.Process.StandardOutput.ReadLine()
                    ?? throw new InvalidOperationException($"a reader process failed (exit {WaitExit(p.Process)}): {p.Process.StandardError.ReadToEnd().Trim()}");
                return (Report: JsonSerializer.Deserialize<ReaderReport>(line, SnakeCase)!, Ready: p.Clock.Elapsed.TotalSeconds);
            }).ToList();
            return [.. reports.Select((r, i) => (r.Report, r.Ready, ProcessMemory.Of(processes[i].Process.Id, cacheFolder)))];
        }
        finally
        {
            foreach (var (process, _) in processes)
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }

    private static int WaitExit(Process process)
    {
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string Python(string script, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3", [script, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Trim().Split('\n')[^1]
            : throw new InvalidOperationException(
                $"{Path.GetFileName(script)} failed (exit {process.ExitCode}): {error.Result.Trim()}. It needs Debian's python3-numpy (apt-get install python3-numpy).");
    }

    private static string Fresh(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return folder;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record PythonLoad(double Seconds, double PeakRssMb);

    private sealed record ReaderReport(double OpenSeconds, double TouchSeconds, long Values, double FiniteSum);
}

/// <summary>The figures of <c>mselab bench data</c> (MB are MiB; ratios are against Python's pickle.load in the same run).</summary>
internal sealed record DataBenchFigures
{
    public required double SizeGbRequested { get; init; }

    public required double SourceMb { get; init; }

    public required int Samples { get; init; }

    public required double PythonLoadSeconds { get; init; }

    public required IReadOnlyList<double> PythonLoadRuns { get; init; }

    public required double PythonLoadMbPerS { get; init; }

    public required double PythonPeakRssMb { get; init; }

    public required double HashSeconds { get; init; }

    public required double HashMbPerS { get; init; }

    public required double PrepareSeconds { get; init; }

    public required double PrepareMbPerS { get; init; }

    /// <summary>pickle.load seconds / prepare seconds: above 1, preparing is faster than Python merely loading the file.</summary>
    public required double PrepareVsPickleLoad { get; init; }

    public required double CacheMb { get; init; }

    public required double OpenSecondsInProcess { get; init; }

    /// <summary>Median over the reader processes of DatasetCache.Open in a fresh process (hash via the index, manifest, mapping).</summary>
    public required double ReaderOpenSeconds { get; init; }

    /// <summary>Median from starting a reader process to its report (start-up, open and reading every value).</summary>
    public required double ReaderReadySeconds { get; init; }

    public required double ReaderTouchSeconds { get; init; }

    /// <summary>pickle.load seconds / open seconds.</summary>
    public required double OpenVsPickleLoad { get; init; }

    public required ProcessMemory OneReader { get; init; }

    public required IReadOnlyList<ProcessMemory> FourReaders { get; init; }

    public required double FourVsOneRss { get; init; }

    public required double FourVsOnePss { get; init; }

    public required double FourVsOneCachePss { get; init; }

    public required bool OpenWithinTarget { get; init; }

    public required bool SharingWithinTarget { get; init; }
}
