using MseLab.Datasets.Stored;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;

namespace MseLab.Datasets.Tests.Stored;

/// <summary>Pinning at submission: unpinned stored datasets get the content hash of their files under the data root, before expansion.</summary>
public sealed class SweepDatasetsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mselab-pin-").FullName;
    private readonly FakeDatasetStore _store = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SweepDefinition Parse(string datasets) => SweepParser.Parse($"""
        name: pin
        base: {"{max_epochs: 2}"}
        backbones: [tiny]
        datasets: [{datasets}]
        seeds: [1, 2]
        """, "/lab/pin.yaml");

    private DataRoot Root => new(_root, "--data-root");

    [Fact]
    public void Pin_UnpinnedStored_GetsTheHashOfItsFilesAndTheCellsCarryIt()
    {
        FakeDatasetStore.Write(_root, PaperDataset.Mosei, "mosei v1");
        FakeDatasetStore.Write(_root, PaperDataset.Meld, "meld v1");

        var pinned = SweepDatasets.Pin(Parse("mosei, meld, synthetic:mosei"), Root, _store);
        var cells = SweepExpander.Expand(pinned);

        var mosei = $"mosei@{FakeDatasetStore.HashOf("mosei v1")}";
        Assert.Equal([mosei, $"meld@{FakeDatasetStore.HashOf("meld v1")}", "synthetic:mosei"], pinned.Datasets.Select(d => d.ToString()));
        Assert.Equal(6, cells.Count);
        Assert.All(cells.Take(2), c => Assert.Contains($"\"Dataset\":\"{mosei}\"", c.Resolved.CanonicalJson(), StringComparison.Ordinal));
        Assert.Equal(2, _store.HashCount);
    }

    [Fact]
    public void Pin_AnotherCopyOfTheData_GivesOtherCells()
    {
        FakeDatasetStore.Write(_root, PaperDataset.Mosei, "mosei v1");
        var before = SweepExpander.Expand(SweepDatasets.Pin(Parse("mosei"), Root, _store)).Select(c => c.Key).ToList();
        FakeDatasetStore.Write(_root, PaperDataset.Mosei, "mosei v2");
        var after = SweepExpander.Expand(SweepDatasets.Pin(Parse("mosei"), Root, _store)).Select(c => c.Key).ToList();
        var again = SweepExpander.Expand(SweepDatasets.Pin(Parse("mosei"), Root, _store)).Select(c => c.Key).ToList();

        Assert.Empty(before.Intersect(after));
        Assert.Equal(after, again);
    }

    [Fact]
    public void Pin_SameDatasetTwice_HashedOnceAndOneCellPerSeed()
    {
        FakeDatasetStore.Write(_root, PaperDataset.Mosei, "mosei v1");

        var pinned = SweepDatasets.Pin(Parse($"mosei, MOSEI, mosei@{FakeDatasetStore.HashOf("mosei v1")}"), Root, _store);

        Assert.Equal(1, _store.HashCount);
        Assert.Equal(2, SweepExpander.Expand(pinned).Count);   // the three spellings are one dataset: one cell per seed
    }

    [Fact]
    public void Pin_NoRoot_NamesTheDatasetsAndTheThreeWaysToGiveOne()
    {
        var error = Assert.Throws<MissingDataRootException>(() => SweepDatasets.Pin(Parse("mosei, synthetic:meld, cherma"), null, _store));

        Assert.StartsWith("mosei, cherma: stored data, and no data root", error.Message, StringComparison.Ordinal);
        Assert.Contains("--data-root DIR", error.Message, StringComparison.Ordinal);
        Assert.Contains("'data_root: DIR' in /lab/pin.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("MSELAB_DATA_ROOT=DIR", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _store.HashCount);
    }

    [Fact]
    public void Pin_NothingToHash_NeedsNoRootAndKeepsTheSweep()
    {
        var sweep = Parse($"synthetic:mosei, meld@{FakeDatasetStore.HashOf("x")}");

        Assert.Same(sweep, SweepDatasets.Pin(sweep, null, _store));
        Assert.Equal(0, _store.HashCount);
    }

    [Fact]
    public void Pin_MissingFile_IsFileNotFoundWithTheLayout()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SweepDatasets.Pin(Parse("simsv2"), Root, _store));

        Assert.Contains("SIMSV2/data.pkl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pin_RootNotAFolder_SaysWhereItWasGiven()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => SweepDatasets.Pin(Parse("mosei"), new DataRoot(Path.Combine(_root, "nope"), "MSELAB_DATA_ROOT"), _store));

        Assert.Contains("(MSELAB_DATA_ROOT) is not a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pin_VerifyPinned_MatchingCopyPassesAnotherIsRefused()
    {
        FakeDatasetStore.Write(_root, PaperDataset.Meld, "meld v1");
        var good = Parse($"meld@{FakeDatasetStore.HashOf("meld v1")}");
        var stale = Parse($"meld@{FakeDatasetStore.HashOf("meld v0")}");

        Assert.Equal(good.Datasets, SweepDatasets.Pin(good, Root, _store, verifyPinned: true).Datasets);
        Assert.Same(stale, SweepDatasets.Pin(stale, Root, _store));   // not verified: the workers check their own copies
        var error = Assert.Throws<DatasetFileException>(() => SweepDatasets.Pin(stale, Root, _store, verifyPinned: true));
        Assert.Contains($"meld under {_root} (--data-root) has content hash {FakeDatasetStore.HashOf("meld v1")}, but /lab/pin.yaml pins {FakeDatasetStore.HashOf("meld v0")}", error.Message, StringComparison.Ordinal);
        Assert.Throws<MissingDataRootException>(() => SweepDatasets.Pin(good, null, _store, verifyPinned: true));
    }

    [Fact]
    public void Pin_OneTrialsDataset_PinsUnpinnedAndLeavesPinnedAsItIs()
    {
        FakeDatasetStore.Write(_root, PaperDataset.Cherma, "cherma");
        var pinned = new StoredDatasetRef(PaperDataset.Cherma, FakeDatasetStore.HashOf("other"));

        Assert.Equal(new StoredDatasetRef(PaperDataset.Cherma, FakeDatasetStore.HashOf("cherma")), SweepDatasets.Pin(new StoredDatasetRef(PaperDataset.Cherma), Root, _store));
        Assert.Same(pinned, SweepDatasets.Pin(pinned, null, _store));
        var error = Assert.Throws<MissingDataRootException>(() => SweepDatasets.Pin(new StoredDatasetRef(PaperDataset.Cherma), null, _store));
        Assert.DoesNotContain("data_root", error.Message, StringComparison.Ordinal);   // a single trial has no sweep file
    }
}
