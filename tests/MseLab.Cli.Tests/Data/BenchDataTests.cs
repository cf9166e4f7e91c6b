using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Data;

/// <summary>A smoke run of <c>mselab bench data</c> on a 10 MB pickle (the 1 GB figures are the benchmark's, not a test's).</summary>
public sealed class BenchDataTests
{
    [Fact]
    public void BenchData_Tiny_MeasuresEveryFigureAndSharesTheMapping()
    {
        var keep = Directory.CreateTempSubdirectory("mselab-bench-data-").FullName;
        try
        {
            var result = ChildProcess.Run(ProcessRunner.MselabPath, ["bench", "data", "--size-gb", "0.01", "--json", "--keep", keep], timeout: TimeSpan.FromMinutes(5));

            Assert.True(result.ExitCode is 0 or 1, result.StandardError);   // 1: a target missed on a busy machine; still measured
            using var json = JsonDocument.Parse(result.StandardOutput);
            var f = json.RootElement;
            var sourceMb = f.GetProperty("source_mb").GetDouble();
            Assert.InRange(sourceMb, 5, 15);
            Assert.True(File.Exists(Path.Combine(keep, "data", "MOSEI", "Processed", "unaligned_50.pkl")));
            Assert.Equal(3, f.GetProperty("python_load_runs").GetArrayLength());
            Assert.True(f.GetProperty("python_load_seconds").GetDouble() > 0);
            Assert.True(f.GetProperty("prepare_mb_per_s").GetDouble() > 0);
            Assert.Equal(f.GetProperty("python_load_seconds").GetDouble() / f.GetProperty("prepare_seconds").GetDouble(), f.GetProperty("prepare_vs_pickle_load").GetDouble(), 9);
            Assert.True(f.GetProperty("samples").GetInt32() >= 10);
            Assert.Equal(4, f.GetProperty("four_readers").GetArrayLength());
            // Every reader read the whole cache: its mapped pages are resident, and 4 readers share them (PSS of the mapping
            // summed over the 4 is about one reader's).
            var oneCacheRss = f.GetProperty("one_reader").GetProperty("folder_rss_mb").GetDouble();
            Assert.True(oneCacheRss > 0.9 * f.GetProperty("cache_mb").GetDouble() - 1, $"one reader's mapped RSS {oneCacheRss} MB");
            Assert.InRange(f.GetProperty("four_vs_one_cache_pss").GetDouble(), 0.8, 1.2);
        }
        finally
        {
            Directory.Delete(keep, recursive: true);
        }
    }
}
