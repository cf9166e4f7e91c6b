using MseLab.Cluster.Silo;
using MseLab.Contracts;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests;

/// <summary>
/// The worker's own check before it claims a trial: the backbone folder, links resolved on the worker's disk, must lie
/// under the worker's roots. A link placed inside a root after submission, leading out, is refused here.
/// </summary>
public sealed class BackboneRootsPrerequisitesTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-worker-roots-").FullName;

    public BackboneRootsPrerequisitesTests()
    {
        Directory.CreateDirectory(Path.Combine(Models, "llama"));
        Directory.CreateDirectory(Outside);
    }

    private string Models => Path.Combine(_folder, "models");

    private string Outside => Path.Combine(_folder, "etc");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static RunTrial Trial(string backbone) => new() { SweepId = "s", TrialKey = "k", Attempt = 1, DeviceKind = "cpu", Backbone = backbone };

    [Fact]
    public async Task RefusalAsync_SymlinkInsideTheRootLeadingOut_Refused()
    {
        var link = Path.Combine(Models, "llama-latest");
        Directory.CreateSymbolicLink(link, Outside);
        var check = new BackboneRootsPrerequisites(new WorkerRoots([Models], []));

        var refusal = await check.RefusalAsync(Trial(link), Ct);

        Assert.Equal($"backbone {link} leads through a symbolic link to {Outside}, outside the allowed roots of this worker ({Models}; --backbone-root)", refusal);
    }

    [Fact]
    public async Task RefusalAsync_FolderInsideOrPreset_Accepted()
    {
        var check = new BackboneRootsPrerequisites(new WorkerRoots([Models], []));

        Assert.Null(await check.RefusalAsync(Trial(Path.Combine(Models, "llama")), Ct));
        Assert.Null(await check.RefusalAsync(Trial("tiny"), Ct));
    }

    [Fact]
    public async Task RefusalAsync_NoRoots_AcceptsAnyFolder()
    {
        Assert.Null(await new BackboneRootsPrerequisites(WorkerRoots.None).RefusalAsync(Trial(Outside), Ct));
    }

    [Fact]
    public async Task AllPrerequisites_FirstRefusalWins()
    {
        var roots = new BackboneRootsPrerequisites(new WorkerRoots([Models], []));
        var all = new AllPrerequisites([roots, new AnyTrial()]);

        Assert.StartsWith($"backbone {Outside} resolves to", await all.RefusalAsync(Trial(Outside), Ct), StringComparison.Ordinal);
        Assert.Null(await all.RefusalAsync(Trial("tiny"), Ct));
    }
}
