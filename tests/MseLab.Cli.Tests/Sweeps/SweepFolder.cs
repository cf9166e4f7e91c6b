using MseLab.Store;
using MseLab.Store.Records;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary>A temporary working folder with a small sweep file on the shared tiny backbone, and read access to its store.</summary>
public sealed class SweepFolder : IDisposable
{
    public SweepFolder(string name = "small", string seeds = "[1111, 2222]", string lr = "[5e-3]", string extra = "")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("mselab-sweep-").FullName;
        Name = name;
        Write(seeds, lr, extra);
    }

    public string Directory { get; }

    public string Name { get; }

    public string File => Path.Combine(Directory, "sweep.yaml");

    public void Write(string seeds, string lr, string extra = "") => System.IO.File.WriteAllText(File, $"""
        name: {Name}
        base:
          warm_up_epochs: 2
          max_epochs: 2
          early_stop: 2
        backbones: ["{TinyBackbones.Directory}"]
        datasets: ["synthetic:mosei?train=64&valid=16&test=16"]
        grid:
          lr: {lr}
        seeds: {seeds}
        retries: 1
        {extra}
        """);

    public ResultQueries Store() =>
        new(new ResultsDatabase(new StoreOptions { ConnectionString = $"Data Source={Path.Combine(Directory, StoreOptions.DefaultSqlitePath)}" }));

    public IReadOnlyList<TrialRow> Trials() => Store().TrialsAsync(Name).GetAwaiter().GetResult();

    public IReadOnlyList<EpochReport> Epochs(string key) => Store().EpochsAsync(Name, key).GetAwaiter().GetResult();

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
