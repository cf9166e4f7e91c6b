using MseLab.Cli.Tests.Infrastructure;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary>
/// Stored datasets on the command line without their data: a sweep or a trial that names <c>mosei</c> with no data root
/// stops with exit 2 and the ways to give one, before anything is stored; <c>sweep validate</c> only says they are unpinned.
/// Each runs the real program with MSELAB_DATA_ROOT removed from its environment.
/// </summary>
public sealed class StoredDatasetCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-stored-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Sweep(string datasets, string extra = "")
    {
        var file = Path.Combine(_folder, "stored.yaml");
        File.WriteAllText(file, $"name: stored\nbase: {{max_epochs: 1}}\nbackbones: [tiny]\ndatasets: [{datasets}]\nseeds: [1]\n{extra}");
        return file;
    }

    // Without MSELAB_DATA_ROOT, whatever the environment of the test run.
    private ProcessResult Mselab(params string[] args) =>
        ChildProcess.Run("/usr/bin/env", ["-u", "MSELAB_DATA_ROOT", ProcessRunner.MselabPath, .. args], timeout: TimeSpan.FromMinutes(2), workingDirectory: _folder);

    [Fact]
    public void SweepRun_StoredDatasetWithoutRoot_ExitsTwoWithTheThreeWaysAndStoresNothing()
    {
        var file = Sweep("mosei, synthetic:mosei, meld");

        var run = Mselab("sweep", "run", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("mosei, meld: stored data, and no data root says where its files are", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("--data-root DIR", run.StandardError, StringComparison.Ordinal);
        Assert.Contains($"'data_root: DIR' in {file}", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("MSELAB_DATA_ROOT=DIR", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, ".mselab")));
    }

    [Fact]
    public void SweepRun_DataRootNotAFolder_ExitsTwoNamingWhereItWasGiven()
    {
        var file = Sweep("simsv2", "data_root: no-such-folder\n");

        var fromFile = Mselab("sweep", "run", file);
        var fromOption = Mselab("sweep", "run", file, "--data-root", Path.Combine(_folder, "elsewhere"));

        Assert.Equal(2, fromFile.ExitCode);
        Assert.Contains($"The data root {Path.Combine(_folder, "no-such-folder")} (data_root in {file}) is not a folder", fromFile.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, fromOption.ExitCode);
        Assert.Contains($"The data root {Path.Combine(_folder, "elsewhere")} (--data-root) is not a folder", fromOption.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, ".mselab")));
    }

    [Fact]
    public void SweepValidate_StoredDatasetWithoutRoot_IsValidAndListedAsUnpinned()
    {
        var run = Mselab("sweep", "validate", Sweep("mosei, MOSEI, cherma@" + new string('c', 64)));

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        Assert.Contains("Not pinned (no data root): mosei.", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 cell(s)", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepValidate_BadHash_ExitsTwoAtTheDatasetsLine()
    {
        var run = Mselab("sweep", "validate", Sweep("meld@cafe"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("stored.yaml:4:", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("64 hex digits, not 'cafe'", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepRunHelp_DescribesDataRoot()
    {
        var help = System.Text.RegularExpressions.Regex.Replace(Mselab("sweep", "run", "--help").StandardOutput, @"\s+", " ");

        Assert.Contains("--data-root <DIR>", help, StringComparison.Ordinal);
        Assert.Contains("overrides the sweep's data_root, which overrides MSELAB_DATA_ROOT", help, StringComparison.Ordinal);
        Assert.Contains("pinned to the content hash of their files", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_StoredDatasetWithoutRoot_ExitsTwoWithTheWaysForOneTrial()
    {
        var run = Mselab("train", "--backbone", "tiny", "--dataset", "meld", "--out", Path.Combine(_folder, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("meld: stored data, and no data root", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("--data-root DIR, or set MSELAB_DATA_ROOT=DIR", run.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "out")));
    }
}
