using System.Runtime.InteropServices;
using System.Text.Json;
using MseLab.Datasets.Cache;
using MseLab.Datasets.Pickles;
using MseLab.Datasets.Readers;
using MseLab.Datasets.Tests.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Cache;

/// <summary>The cache over the real readers, on the six datasets written by Python's pickle and numpy (make_datasets.py).</summary>
public sealed class CacheEndToEndTests(GeneratedDatasets data) : IClassFixture<GeneratedDatasets>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-cache-e2e-").FullName;

    public static TheoryData<PaperDataset> AllDatasets { get; } = [.. Enum.GetValues<PaperDataset>()];

    private DatasetCache Cache => new(Path.Combine(_dir, "cache"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(AllDatasets))]
    public void Open_EverySampleAndFieldEqualsTheReaders(PaperDataset dataset)
    {
        var source = DatasetReaders.Open(data.GoodRoot, dataset);

        using var prepared = Cache.Open(data.GoodRoot, dataset);

        Assert.Equal(DatasetSplits.All, prepared.Splits.Select(s => s.Name));
        foreach (var split in source.Splits)
        {
            var cached = prepared[split.Name];
            Assert.Equal(split.Count, cached.Count);
            Assert.Equal(split.Texts, cached.Texts);
            Assert.Equal(split.Ids, cached.Ids);
            Assert.Equal(split.AudioLengths, cached.AudioLengths);
            Assert.Equal(split.VisionLengths, cached.VisionLengths);
            Assert.Equal(split.Labels, cached.Labels);
            var audio = new float[split.Audio.Steps * split.Audio.Width];
            var vision = new float[split.Vision.Steps * split.Vision.Width];
            for (var i = 0; i < split.Count; i++)
            {
                split.Audio.CopySample(i, audio);
                split.Vision.CopySample(i, vision);
                Assert.Equal(MemoryMarshal.AsBytes(audio.AsSpan()).ToArray(), MemoryMarshal.AsBytes(cached.Audio(i).Span).ToArray());
                Assert.Equal(MemoryMarshal.AsBytes(vision.AsSpan()).ToArray(), MemoryMarshal.AsBytes(cached.Vision(i).Span).ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllDatasets))]
    public void Summary_OfPrepared_EqualsSummaryOfTheSourceAndTheNumpyReference(PaperDataset dataset)
    {
        var fromSource = DatasetSummaries.Of(DatasetReaders.Open(data.GoodRoot, dataset));

        using var prepared = Cache.Open(data.GoodRoot, dataset);
        var fromCache = DatasetSummaries.Of(prepared);

        Assert.Equal(Cache.Hash(data.GoodRoot, dataset), fromCache.Hash);
        Assert.Equal(Json(fromSource with { Hash = null }), Json(fromCache with { Hash = null }));
        var expected = data.ExpectedSummaryJson(dataset).GetProperty("splits");
        foreach (var (name, split) in fromCache.Splits)
        {
            GeneratedDatasets.AssertClose(GeneratedDatasets.Number(expected.GetProperty(name).GetProperty("audio_sum")), split.AudioSum, $"{name} audio_sum");
            GeneratedDatasets.AssertClose(GeneratedDatasets.Number(expected.GetProperty(name).GetProperty("vision_sum")), split.VisionSum, $"{name} vision_sum");
        }
    }

    [Fact]
    public void Open_AnotherCopyWithTheFirstCopysHash_IsRefused()
    {
        var copy = Path.Combine(_dir, "copy");
        foreach (var file in DatasetLayout.RelativeFiles(PaperDataset.Meld))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, file))!);
            File.Copy(Path.Combine(data.GoodRoot, file), Path.Combine(copy, file));
        }

        var hash = Cache.Prepare(data.GoodRoot, PaperDataset.Meld);
        Assert.Equal(hash, Cache.Hash(copy, PaperDataset.Meld));   // the same bytes elsewhere are the same dataset
        using (var stream = new FileStream(Path.Combine(copy, "MELD", "meld_test.pkl"), FileMode.Append))
        {
            stream.WriteByte(0);   // bytes after the pickle's STOP: it still reads, but it is not the same file
        }

        var error = Assert.Throws<DatasetHashMismatchException>(() => Cache.Open(copy, PaperDataset.Meld, hash));

        Assert.Contains(Path.GetFullPath(copy), error.Message, StringComparison.Ordinal);
        Assert.Contains("meld", error.Message, StringComparison.Ordinal);
        Assert.Contains(hash, error.Message, StringComparison.Ordinal);
        Assert.Contains(Cache.Hash(copy, PaperDataset.Meld), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_TruncatedFile_FailsNamingTheFileAndLeavesNoFolder()
    {
        var root = data.BadRoot("truncated");

        var error = Assert.Throws<PickleFormatException>(() => Cache.Prepare(root, PaperDataset.Mosei));

        Assert.Contains(Path.Combine(root, "MOSEI", "Processed", "unaligned_50.pkl"), error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Cache.Directory));
    }

    [Fact]
    public void Prepare_MissingFile_ListsTheLayoutAndLeavesNoFolder()
    {
        var root = data.BadRoot("missing_file");

        var error = Assert.Throws<FileNotFoundException>(() => Cache.Prepare(root, PaperDataset.Meld));

        Assert.Contains(Path.Combine(root, "MELD", "meld_valid.pkl"), error.Message, StringComparison.Ordinal);
        Assert.Contains(DatasetLayout.Describe(Path.GetFullPath(root), PaperDataset.Meld), error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Cache.Directory) && Directory.GetDirectories(Cache.Directory).Length > 0);
    }

    private static string Json(DatasetSummary summary) => JsonSerializer.Serialize(summary, DatasetSummaries.JsonOptions);
}
