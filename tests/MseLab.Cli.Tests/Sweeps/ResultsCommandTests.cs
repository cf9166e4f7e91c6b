using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary><c>mselab results</c> reads the store a sweep wrote, with no flags, from the same folder.</summary>
public sealed class ResultsCommandTests
{
    [Fact]
    public void Results_AfterSweep_JsonGroupsHaveFieldsNAndMeanStdPerMetric()
    {
        using var folder = new SweepFolder();
        Assert.Equal(0, ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File).ExitCode);
        var trials = folder.Trials();

        var json = ProcessRunner.MselabIn(folder.Directory, "results", "--group-by", "backbone,dataset", "--format", "json");

        Assert.True(json.ExitCode == 0, json.StandardError);
        using var document = JsonDocument.Parse(json.StandardOutput);
        var group = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal("synthetic:mosei?train=64&valid=16&test=16", group.GetProperty("dataset").GetString());
        Assert.Equal(2, group.GetProperty("n").GetInt32());
        var mae = group.GetProperty("metrics").GetProperty("mae");
        var values = trials.Select(t => t.Test["mae"]).ToList();
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        Assert.Equal(mean, mae.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(std, mae.GetProperty("std").GetDouble(), 12);
    }

    [Fact]
    public void Results_CsvAndUnknownField_HeaderOrClearError()
    {
        using var folder = new SweepFolder(seeds: "[1111]");
        Assert.Equal(0, ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File).ExitCode);

        var csv = ProcessRunner.MselabIn(folder.Directory, "results", "--format", "csv");
        var unknown = ProcessRunner.MselabIn(folder.Directory, "results", "--group-by", "colour");

        Assert.Equal(0, csv.ExitCode);
        Assert.StartsWith("sweep,family,backbone,dataset,lr,n,planned,", csv.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("mae_mean,mae_std", csv.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Valid fields", unknown.StandardError, StringComparison.Ordinal);
        Assert.Contains("batch_size", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_NoStoreInFolder_ExitsTwoSayingWhatToRun()
    {
        var empty = Directory.CreateTempSubdirectory("mselab-empty-").FullName;
        try
        {
            var results = ProcessRunner.MselabIn(empty, "results");

            Assert.Equal(2, results.ExitCode);
            Assert.Contains("mselab sweep run", results.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void BenchDispatch_SmallRun_PrintsThroughputAndAllSucceed()
    {
        var folder = Directory.CreateTempSubdirectory("mselab-bench-").FullName;
        try
        {
            var bench = ProcessRunner.MselabIn(folder, "bench", "dispatch", "--trials", "300", "--devices", "8");

            Assert.True(bench.ExitCode == 0, bench.StandardOutput + bench.StandardError);
            Assert.Contains("300 of 300", bench.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("trials/s", bench.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void BenchDispatch_JsonWithOptuna_OneObjectWithBothFiguresAndTheirRatio()
    {
        var folder = Directory.CreateTempSubdirectory("mselab-bench-").FullName;
        try
        {
            var bench = ProcessRunner.MselabIn(folder, "bench", "dispatch", "--trials", "200", "--devices", "8", "--json", "--compare-optuna", "--optuna-trials", "40");

            Assert.True(bench.ExitCode == 0, bench.StandardOutput + bench.StandardError);
            using var json = System.Text.Json.JsonDocument.Parse(bench.StandardOutput);
            var root = json.RootElement;
            Assert.Equal(200, root.GetProperty("succeeded").GetInt32());
            Assert.True(root.GetProperty("trials_per_s").GetDouble() > 0);
            Assert.True(root.GetProperty("cpu_ms_per_trial").GetDouble() > 0);
            var optuna = root.GetProperty("optuna");
            Assert.Equal(("sqlite", 40), (optuna.GetProperty("storage").GetString(), optuna.GetProperty("completed").GetInt32()));
            Assert.Equal(root.GetProperty("trials_per_s").GetDouble() / optuna.GetProperty("trials_per_s").GetDouble(), root.GetProperty("times_optuna").GetDouble(), 6);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
