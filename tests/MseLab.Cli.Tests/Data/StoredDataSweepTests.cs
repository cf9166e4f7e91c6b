using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.Store;
using MseLab.Store.Records;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Data;

/// <summary>
/// A sweep on stored data end to end, the real program on files written by Python's pickle and numpy
/// (make_training_data.py: MOSEI as an MMSA dict of arrays, MELD as the authors' list of dicts): the sweep is pinned to the
/// files' content hash (the same hash <c>data inspect</c> prints and an independent SHA-256 over the files gives), every
/// cell trains on the tiny backbone, and each trial's provenance records that hash; a changed file is another dataset, so
/// the same sweep file then makes new cells and leaves the finished ones alone.
/// </summary>
public sealed class StoredDataSweepTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-stored-sweep-").FullName;

    public StoredDataSweepTests()
    {
        var generated = ProcessRunner.PythonScript("make_training_data.py", DataRoot);
        Assert.True(generated.ExitCode == 0, generated.StandardError);
    }

    private string DataRoot => Path.Combine(_folder, "data");

    private string Cache => Path.Combine(_folder, "cache");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ProcessResult Mselab(params string[] args) =>
        ChildProcess.Run("/usr/bin/env", ["-u", "MSELAB_DATA_ROOT", $"MSELAB_DATA_CACHE={Cache}", ProcessRunner.MselabPath, .. args],
            timeout: TimeSpan.FromMinutes(8), workingDirectory: _folder);

    private string WriteSweep()
    {
        var file = Path.Combine(_folder, "stored.yaml");
        File.WriteAllText(file, $"""
            name: stored
            base: {"{"}warm_up_epochs: 1, max_epochs: 1, early_stop: 1, lr: 5e-3{"}"}
            backbones: ["{TinyBackbones.Directory}"]
            datasets: [mosei, meld]
            data_root: data
            seeds: [1111]
            resources: {"{"}device: cpu, memory_gb: 1{"}"}
            retries: 0
            """);
        return file;
    }

    // SHA-256 per file, then SHA-256 over "relative-path\tfile-hash\n" lines in layout order (the cache's definition).
    private string IndependentHash(params string[] relativeFiles)
    {
        var lines = new StringBuilder();
        foreach (var relative in relativeFiles)
        {
            var fileHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(DataRoot, relative))));
            lines.Append(relative).Append('\t').Append(fileHash).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    private IReadOnlyList<TrialRow> Trials() =>
        new ResultQueries(new ResultsDatabase(new StoreOptions { ConnectionString = $"Data Source={Path.Combine(_folder, StoreOptions.DefaultSqlitePath)}" }))
            .TrialsAsync("stored").GetAwaiter().GetResult();

    private string InspectHash(string dataset)
    {
        var inspect = Mselab("data", "inspect", DataRoot, "--dataset", dataset, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.StandardError);
        using var json = JsonDocument.Parse(inspect.StandardOutput);
        return json.RootElement.GetProperty("hash").GetString()!;
    }

    [Fact]
    public void SweepRun_StoredMoseiAndMeld_PinsTheContentHashTrainsAndRecordsItInProvenance()
    {
        var mosei = IndependentHash("MOSEI/Processed/unaligned_50.pkl");
        var meld = IndependentHash("MELD/meld_train.pkl", "MELD/meld_valid.pkl", "MELD/meld_test.pkl");
        Assert.Equal(mosei, InspectHash("mosei"));
        Assert.Equal(meld, InspectHash("meld"));

        var run = Mselab("sweep", "run", WriteSweep(), "--workers", "1");

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        var trials = Trials();
        Assert.Equal([$"meld@{meld}", $"mosei@{mosei}"], trials.Select(t => t.Dataset).Order(StringComparer.Ordinal));
        Assert.All(trials, t => Assert.Equal(TrialStatus.Succeeded, t.Status));
        Assert.Contains("has0_acc2", trials.Single(t => t.Dataset.StartsWith("mosei", StringComparison.Ordinal)).Test.Keys);
        Assert.Contains("weighted_f1", trials.Single(t => t.Dataset.StartsWith("meld", StringComparison.Ordinal)).Test.Keys);
        foreach (var trial in trials)
        {
            using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, ".mselab", "runs", "stored", trial.Key, "result.json")));
            Assert.Equal(trial.Dataset[(trial.Dataset.IndexOf('@', StringComparison.Ordinal) + 1)..],
                result.RootElement.GetProperty("Provenance").GetProperty("DatasetHash").GetString());
        }

        // The table shows the pin shortened; the store keeps all of it.
        Assert.Contains($"mosei@{mosei[..12]} ", run.StandardOutput, StringComparison.Ordinal);

        // The files written again with another seed are other copies: new cells for both, the finished ones kept.
        var generated = ProcessRunner.PythonScript("make_training_data.py", DataRoot, "--seed", "14");
        Assert.True(generated.ExitCode == 0, generated.StandardError);
        var again = Mselab("sweep", "run", WriteSweep(), "--workers", "1");

        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        var newMeld = IndependentHash("MELD/meld_train.pkl", "MELD/meld_valid.pkl", "MELD/meld_test.pkl");
        var newMosei = IndependentHash("MOSEI/Processed/unaligned_50.pkl");
        Assert.NotEqual(meld, newMeld);
        var after = Trials();
        Assert.Contains(after, t => t.Dataset == $"meld@{newMeld}" && t.Status == TrialStatus.Succeeded);
        Assert.Contains(after, t => t.Dataset == $"mosei@{newMosei}" && t.Status == TrialStatus.Succeeded);
        Assert.Contains(after, t => t.Dataset == $"mosei@{mosei}" && t.Status == TrialStatus.Succeeded);
    }
}
