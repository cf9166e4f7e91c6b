using MseLab.Datasets.Stored;
using MseLab.Experiments.Sweeps;

namespace MseLab.Datasets.Tests.Stored;

/// <summary>Where a submission's data root comes from: --data-root, else the sweep's data_root, else MSELAB_DATA_ROOT.</summary>
public sealed class DataRootTests : IDisposable
{
    private readonly string? _environment = Environment.GetEnvironmentVariable(DataRoot.EnvironmentVariable);

    // The tests of an assembly run one at a time (tests/xunit.runner.json), so the variable is this test's while it runs.
    public void Dispose() => Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, _environment);

    private static SweepDefinition Sweep(string? dataRoot) =>
        new() { Name = "s", File = "/lab/s.yaml", Backbones = [], Datasets = [], Seeds = [1], DataRoot = dataRoot };

    [Fact]
    public void Resolve_OptionOverSweepOverEnvironment()
    {
        Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, "/from/env");

        Assert.Equal(new DataRoot("/from/option", "--data-root"), DataRoot.Resolve("/from/option", Sweep("/from/file")));
        Assert.Equal(new DataRoot("/from/file", "data_root in /lab/s.yaml"), DataRoot.Resolve(null, Sweep("/from/file")));
        Assert.Equal(new DataRoot("/from/env", "MSELAB_DATA_ROOT"), DataRoot.Resolve(null, Sweep(null)));
        Assert.Equal(new DataRoot("/from/env", "MSELAB_DATA_ROOT"), DataRoot.Resolve("  ", null));
    }

    [Fact]
    public void Resolve_NothingGiven_IsNull()
    {
        Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, null);

        Assert.Null(DataRoot.Resolve(null, Sweep(null)));
        Assert.Null(DataRoot.FromEnvironment());
    }

    [Fact]
    public void Resolve_RelativeOption_IsMadeAbsolute()
    {
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data"), DataRoot.Resolve("data")!.Path);
    }

    [Fact]
    public void RequireFolder_NotAFolder_NamesThePathAndWhereItWasGiven()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => new DataRoot("/no/such/root", "data_root in /lab/s.yaml").RequireFolder());

        Assert.Contains("/no/such/root (data_root in /lab/s.yaml) is not a folder", error.Message, StringComparison.Ordinal);
    }
}
