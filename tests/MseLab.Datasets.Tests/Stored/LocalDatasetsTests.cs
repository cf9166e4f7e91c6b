using MseLab.Datasets.Stored;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Stored;

/// <summary>A worker's check before it claims a trial: the data root, the files, the content hash; files hashed once per change.</summary>
public sealed class LocalDatasetsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mselab-local-").FullName;
    private readonly FakeDatasetStore _store = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static StoredDatasetRef Pinned(PaperDataset dataset, string content) => new(dataset, FakeDatasetStore.HashOf(content));

    [Fact]
    public void Refusal_SameCopy_AcceptsSyntheticAlways()
    {
        FakeDatasetStore.Write(_root, PaperDataset.Mosei, "mosei v1");
        var local = new LocalDatasets(_root, _store);

        Assert.Null(local.Refusal(Pinned(PaperDataset.Mosei, "mosei v1")));
        Assert.Null(local.Refusal(new StoredDatasetRef(PaperDataset.Mosei)));
        Assert.Null(local.Refusal(DatasetRef.Parse("synthetic:meld")));
        Assert.Null(new LocalDatasets(null, _store).Refusal(DatasetRef.Parse("synthetic:meld")));
    }

    [Fact]
    public void Refusal_NoRoot_SaysHowToConfigureOne()
    {
        var reason = new LocalDatasets(null, _store).Refusal(Pinned(PaperDataset.Meld, "x"));

        Assert.Equal("meld is stored data and this worker has no data root (set --data-root, Worker:DataRoot or MSELAB_DATA_ROOT)", reason);
    }

    [Fact]
    public void Refusal_FilesMissing_NamesThemUnderTheRoot()
    {
        var reason = new LocalDatasets(_root, _store).Refusal(Pinned(PaperDataset.Cherma, "x"));

        Assert.Equal($"cherma is not under this worker's data root {_root}: missing CHERMA/data.pkl", reason);
        Assert.Equal(0, _store.HashCount);
    }

    [Fact]
    public void Refusal_AnotherCopy_NamesBothHashes()
    {
        FakeDatasetStore.Write(_root, PaperDataset.SimsV2, "local copy");

        var reason = new LocalDatasets(_root, _store).Refusal(Pinned(PaperDataset.SimsV2, "submitted copy"));

        Assert.Equal(
            $"this worker's copy of simsv2 under {_root} has content hash {FakeDatasetStore.HashOf("local copy")}; the sweep was submitted with {FakeDatasetStore.HashOf("submitted copy")}",
            reason);
    }

    [Fact]
    public void Refusal_ManyChecks_HashOncePerChangeOfTheFiles()
    {
        var file = FakeDatasetStore.Write(_root, PaperDataset.Mosei, "mosei v1");
        var local = new LocalDatasets(_root, _store);
        var v1 = Pinned(PaperDataset.Mosei, "mosei v1");

        for (var i = 0; i < 50; i++)
        {
            Assert.Null(local.Refusal(v1));
        }

        Assert.Equal(1, _store.HashCount);

        File.WriteAllText(file, "mosei v2");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));   // a replaced file: new size and time
        Assert.NotNull(local.Refusal(v1));
        Assert.Null(local.Refusal(Pinned(PaperDataset.Mosei, "mosei v2")));
        Assert.Equal(2, _store.HashCount);
    }

    [Fact]
    public void Refusal_ConcurrentChecks_ShareOneHash()
    {
        FakeDatasetStore.Write(_root, PaperDataset.Meld, "meld");
        var local = new LocalDatasets(_root, _store);

        Parallel.For(0, 64, _ => Assert.Null(local.Refusal(Pinned(PaperDataset.Meld, "meld"))));

        Assert.Equal(1, _store.HashCount);
    }

    [Fact]
    public void Refusal_HashFails_IsAReasonAndIsNotRemembered()
    {
        var failing = new FailingOnceStore(_store);
        FakeDatasetStore.Write(_root, PaperDataset.Mosei, "mosei");
        var local = new LocalDatasets(_root, failing);

        Assert.Equal($"mosei under {_root} cannot be hashed here (disk read error)", local.Refusal(Pinned(PaperDataset.Mosei, "mosei")));
        Assert.Null(local.Refusal(Pinned(PaperDataset.Mosei, "mosei")));
    }

    [Fact]
    public void Open_NoRoot_IsMissingDataRoot()
    {
        var error = Assert.Throws<MissingDataRootException>(() => new LocalDatasets(" ", _store).Open(Pinned(PaperDataset.Mosei, "x")));

        Assert.Contains("--data-root", error.Message, StringComparison.Ordinal);
    }

    private sealed class FailingOnceStore(FakeDatasetStore inner) : IDatasetStore
    {
        private bool _failed;

        public IReadOnlyList<string> Files(string root, PaperDataset dataset) => inner.Files(root, dataset);

        public string Hash(string root, PaperDataset dataset)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("disk read error");
            }

            return inner.Hash(root, dataset);
        }

        public global::MseLab.Datasets.Cache.PreparedDataset Open(string root, PaperDataset dataset, string? expectedHash) => inner.Open(root, dataset, expectedHash);
    }
}
