using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MseLab.Datasets.Cache;
using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Cache;

public sealed class DatasetCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-cache-").FullName;

    private string CacheDir => Path.Combine(_dir, "cache");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(PaperDataset.Mosei)]
    [InlineData(PaperDataset.Meld)]
    public void Open_Prepared_EverySampleEqualsTheSourceBitForBit(PaperDataset dataset)
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), dataset);
        var cache = new DatasetCache(CacheDir);

        using var prepared = cache.Open(fake.Origin, null, null);

        Assert.Equal(dataset, prepared.Dataset);
        Assert.Equal(cache.FolderOf(dataset, prepared.ContentHash), prepared.Directory);
        Assert.Equal(["train", "valid", "test"], prepared.Splits.Select(s => s.Name));
        foreach (var source in fake.Splits)
        {
            var split = prepared[source.Name];
            Assert.Equal(source.Count, split.Count);
            Assert.Equal((source.Audio.Steps, source.Audio.Width, source.Vision.Steps, source.Vision.Width), (split.AudioSteps, split.AudioDim, split.VisionSteps, split.VisionDim));
            Assert.Equal(source.Texts, split.Texts);
            Assert.Equal(source.Ids, split.Ids);
            Assert.Equal(source.AudioLengths, split.AudioLengths);
            Assert.Equal(source.VisionLengths, split.VisionLengths);
            Assert.Equal(source.Labels, split.Labels);
            for (var i = 0; i < source.Count; i++)
            {
                AssertBitwiseEqual(Copy(source.Audio, i), split.Audio(i).Span);
                AssertBitwiseEqual(Copy(source.Vision, i), split.Vision(i).Span);
            }
        }
    }

    [Fact]
    public void Summary_OfPrepared_EqualsSummaryComputedFromTheSource()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Meld, nonFinite: false);
        using var prepared = new DatasetCache(CacheDir).Open(fake.Origin, null, null);

        var summary = DatasetSummaries.Of(prepared);

        Assert.Equal("meld", summary.Dataset);
        Assert.Equal(prepared.ContentHash, summary.Hash);
        foreach (var source in fake.Splits)
        {
            var s = summary.Splits[source.Name];
            Assert.Equal(source.Count, s.N);
            Assert.Equal([source.Count, source.Audio.Steps, source.Audio.Width], s.AudioShape);
            Assert.Equal([source.Count, source.Vision.Steps, source.Vision.Width], s.VisionShape);
            Assert.Equal(source.AudioLengths.Sum(), s.AudioLengthsSum);
            Assert.Equal(source.VisionLengths.Sum(), s.VisionLengthsSum);
            Assert.Equal(Enumerable.Range(0, 7).Select(c => source.Labels.Count(l => (int)l == c)), s.Labels.Counts!.Values);
            Assert.Equal(Enumerable.Range(0, 7).Select(c => $"{c}"), s.Labels.Counts!.Keys);
            Assert.Null(s.Labels.Mean);
            Assert.Equal(SourceSum(source.Audio), s.AudioSum);
            Assert.Equal(SourceSum(source.Vision), s.VisionSum);
        }
    }

    [Fact]
    public void Summary_Regression_HasMinMaxMeanOfTheLabels()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.SimsV2, nonFinite: false);
        using var prepared = new DatasetCache(CacheDir).Open(fake.Origin, null, null);

        var labels = DatasetSummaries.Of(prepared).Splits["train"].Labels;

        var source = fake.Splits[0].Labels;
        Assert.Equal(source.Min(), labels.Min);
        Assert.Equal(source.Max(), labels.Max);
        Assert.Equal(source.Select(l => (double)l).Average(), labels.Mean!.Value, 12);
        Assert.Null(labels.Counts);
    }

    [Fact]
    public void Prepare_Twice_ReadsTheSourceOnceAndKeepsTheHash()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        var cache = new DatasetCache(CacheDir);

        var first = cache.Prepare(fake.Origin, null);
        var second = cache.Prepare(fake.Origin, null);

        Assert.Equal(first, second);
        Assert.Equal(1, fake.Reads);
        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.True(File.Exists(Path.Combine(cache.FolderOf(PaperDataset.Mosei, first), "manifest.json")));
    }

    [Fact]
    public void Prepare_TwoThreadsAtOnce_PrepareOnce()
    {
        using var bothStarted = new Barrier(2);
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei, beforeCopy: _ => Thread.Sleep(20));
        fake.AgeFiles();
        var cache = new DatasetCache(CacheDir);

        var hashes = new string[2];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            bothStarted.SignalAndWait(TestContext.Current.CancellationToken);
            hashes[t] = new DatasetCache(CacheDir).Prepare(fake.Origin, null);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1, fake.Reads);
        Assert.Equal(hashes[0], hashes[1]);
        Assert.Single(Directory.GetDirectories(CacheDir));
        using var prepared = cache.Open(fake.Origin, null, null);
        Assert.Equal(1, fake.Reads);
    }

    [Fact]
    public void Prepare_CrashMidway_LeavesNothingThatLooksPrepared()
    {
        var root = Path.Combine(_dir, "data");
        var failing = new FakeDataset(root, PaperDataset.Mosei, beforeCopy: i => { if (i == 3) { throw new IOException("disk gone"); } });
        var cache = new DatasetCache(CacheDir);

        Assert.Throws<IOException>(() => cache.Prepare(failing.Origin, null));

        var hash = cache.Hash(failing.Origin);
        Assert.False(Directory.Exists(cache.FolderOf(PaperDataset.Mosei, hash)));
        Assert.Empty(Directory.GetDirectories(CacheDir));
        var healthy = new FakeDataset(root, PaperDataset.Mosei);
        using var prepared = cache.Open(healthy.Origin, null, null);
        Assert.Equal(1, healthy.Reads);
    }

    [Fact]
    public void Open_LeftoverTemporaryFolderOfAKilledPreparer_IsNotUsedAndIsRemoved()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        var cache = new DatasetCache(CacheDir);
        var hash = cache.Prepare(fake.Origin, null);
        var folder = cache.FolderOf(PaperDataset.Mosei, hash);
        // What a preparer killed just before its rename leaves: a complete-looking folder under the temporary name.
        var leftover = Path.Combine(CacheDir, $".tmp-{Path.GetFileName(folder)}-999999-0123456789abcdef");
        Directory.Move(folder, leftover);

        using var prepared = cache.Open(fake.Origin, null, null);

        Assert.Equal(2, fake.Reads);
        Assert.Equal(folder, prepared.Directory);
        Assert.False(Directory.Exists(leftover));
    }

    [Fact]
    public void Open_TruncatedFeatureFile_IsPreparedAgainAndSaysSo()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        var cache = new DatasetCache(CacheDir);
        var folder = cache.FolderOf(PaperDataset.Mosei, cache.Prepare(fake.Origin, null));
        using (var stream = new FileStream(Path.Combine(folder, "valid.vision.f32"), FileMode.Open))
        {
            stream.SetLength(stream.Length - 4);
        }

        var notes = new List<string>();
        using var prepared = cache.Open(fake.Origin, null, new SyncProgress(p => { if (p.Message is { } m) { notes.Add(m); } }));

        Assert.Equal(2, fake.Reads);
        Assert.Contains(notes, n => n.Contains("damaged", StringComparison.Ordinal) && n.Contains("valid.vision.f32", StringComparison.Ordinal));
        AssertBitwiseEqual(Copy(fake.Splits[1].Vision, 1), prepared["valid"].Vision(1).Span);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("{\"format_version\": 1}")]
    [InlineData("{\"format_version\": 1, \"dataset\": \"meld\", \"hash\": \"HASH\", \"byte_order\": \"little\", \"source_files\": [], \"splits\": null}")]
    [InlineData("{\"format_version\": 1, \"dataset\": \"meld\", \"hash\": \"HASH\", \"byte_order\": \"little\", \"source_files\": [], \"splits\": [{\"name\": \"train\", \"n\": 7}]}")]
    public void Open_UnreadableManifest_IsPreparedAgain(string manifest)
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Meld);
        var cache = new DatasetCache(CacheDir);
        var hash = cache.Prepare(fake.Origin, null);
        var folder = cache.FolderOf(PaperDataset.Meld, hash);
        File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest.Replace("HASH", hash, StringComparison.Ordinal));

        var notes = new List<string>();
        using var prepared = cache.Open(fake.Origin, null, new SyncProgress(p => { if (p.Message is { } m) { notes.Add(m); } }));

        Assert.Equal(2, fake.Reads);
        Assert.Contains(notes, n => n.Contains("damaged", StringComparison.Ordinal));
        Assert.Equal(fake.Splits[0].Texts, prepared["train"].Texts);
    }

    [Fact]
    public void Open_ExpectedHashOfAnotherCopy_RefusesNamingRootDatasetAndBothHashes()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Cherma);
        var cache = new DatasetCache(CacheDir);
        var expected = new string('a', 64);

        var error = Assert.Throws<DatasetHashMismatchException>(() => cache.Open(fake.Origin, expected, null));

        var actual = cache.Hash(fake.Origin);
        Assert.Contains(fake.Root, error.Message, StringComparison.Ordinal);
        Assert.Contains("cherma", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(actual, error.Message, StringComparison.Ordinal);
        Assert.Equal((expected, actual), (error.ExpectedHash, error.ActualHash));
        Assert.IsAssignableFrom<DatasetFileException>(error);
        Assert.Equal(0, fake.Reads);   // nothing prepared for a copy that was refused
        Assert.False(Directory.Exists(cache.FolderOf(PaperDataset.Cherma, actual)));
    }

    [Fact]
    public void Open_ExpectedHashOfThisCopy_Opens()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        var cache = new DatasetCache(CacheDir);
        var hash = cache.Prepare(fake.Origin, null);

        using var prepared = cache.Open(fake.Origin, hash.ToUpperInvariant(), null);

        Assert.Equal(hash, prepared.ContentHash);
    }

    [Fact]
    public void Open_Prepared_ReadsNoSourceAndHashesNoFile()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        fake.AgeFiles();
        var cache = new DatasetCache(CacheDir);
        var hash = cache.Prepare(fake.Origin, null);
        var copies = fake.Splits.Sum(s => ((MemoryFeatureSource)s.Audio).Copies);
        var hasher = new ContentHasher(CacheDir);

        Assert.Equal(hash, hasher.DatasetHash(fake.Root, fake.RelativeFiles, () => ""));
        using var prepared = cache.Open(fake.Origin, hash, null);

        Assert.Equal(0, hasher.BytesHashed);
        Assert.Equal(1, fake.Reads);
        Assert.Equal(copies, fake.Splits.Sum(s => ((MemoryFeatureSource)s.Audio).Copies));
    }

    [Fact]
    public void Audio_IsAViewIntoTheMappingNotACopy()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        using var prepared = new DatasetCache(CacheDir).Open(fake.Origin, null, null);
        var train = prepared["train"];

        Assert.True(MemoryMarshal.TryGetMemoryManager<float, MappedFloats>(train.Audio(2), out _, out var start, out var length));
        Assert.Equal(2 * train.AudioSteps * train.AudioDim, start);
        Assert.Equal(train.AudioSteps * train.AudioDim, length);
        ref readonly var sample1 = ref train.Audio(1).Span[0];
        Assert.True(Unsafe.AreSame(in sample1, in train.Audio(1).Span[0]));   // the same memory each time
        var gap = Unsafe.ByteOffset(in train.Audio(0).Span[0], in sample1);
        Assert.Equal(train.AudioSteps * train.AudioDim * sizeof(float), (long)gap);   // samples lie back to back, as in the file
    }

    [Fact]
    public void Dispose_LastHandle_UnmapsAndViewsThrow()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        var cache = new DatasetCache(CacheDir);
        var first = cache.Open(fake.Origin, null, null);
        var second = cache.Open(fake.Origin, null, null);
        var audioFile = Path.Combine(first.Directory, "train.audio.f32");

        Assert.Equal(2, CacheMappings.References(first.Directory));
        Assert.Equal(1, MappingsOf(audioFile));   // two handles, one mapping

        first.Dispose();
        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first["train"].Audio(0));
        Assert.Equal(Copy(fake.Splits[0].Audio, 0).Length, second["train"].Audio(0).Length);
        Assert.Equal(1, CacheMappings.References(first.Directory));

        second.Dispose();
        Assert.Equal(0, CacheMappings.References(first.Directory));
        Assert.Equal(0, MappingsOf(audioFile));
        Assert.Throws<ObjectDisposedException>(() => second["train"].Vision(0));
    }

    [Fact]
    public void Open_SampleIndexOutOfRange_Throws()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        using var prepared = new DatasetCache(CacheDir).Open(fake.Origin, null, null);

        Assert.Throws<ArgumentOutOfRangeException>(() => prepared["valid"].Audio(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => prepared["valid"].Vision(-1));
    }

    [Fact]
    public void Hash_MissingFile_ThrowsNamingItAndTheLayout()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Meld);
        File.Delete(fake.FullPath("MELD/meld_valid.pkl"));

        var error = Assert.Throws<FileNotFoundException>(() => new DatasetCache(CacheDir).Prepare(fake.Origin, null));

        Assert.Contains(Path.Combine(fake.Root, "MELD", "meld_valid.pkl"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Expected: MELD/meld_train.pkl, MELD/meld_valid.pkl", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, fake.Reads);
    }

    [Fact]
    public void Default_FollowsTheEnvironmentVariable()
    {
        var before = Environment.GetEnvironmentVariable(DatasetCache.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DatasetCache.EnvironmentVariable, CacheDir);
            Assert.Equal(CacheDir, DatasetCache.Default.Directory);
            Environment.SetEnvironmentVariable(DatasetCache.EnvironmentVariable, null);
            Assert.EndsWith(Path.Combine("mselab", "datasets"), DatasetCache.Default.Directory, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatasetCache.EnvironmentVariable, before);
        }
    }

    private static float[] Copy(FeatureSource source, int index)
    {
        var values = new float[source.Steps * source.Width];
        source.CopySample(index, values);
        return values;
    }

    private static double SourceSum(FeatureSource source)
    {
        var sum = 0.0;
        for (var i = 0; i < source.Count; i++)
        {
            foreach (var v in Copy(source, i))
            {
                sum += v;
            }
        }

        return sum;
    }

    private static void AssertBitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual) =>
        Assert.Equal(MemoryMarshal.AsBytes(expected).ToArray(), MemoryMarshal.AsBytes(actual).ToArray());

    private static int MappingsOf(string path) => File.ReadLines("/proc/self/maps").Count(l => l.EndsWith(path, StringComparison.Ordinal));

    /// <summary>Progress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, after the call returned).</summary>
    private sealed class SyncProgress(Action<PrepareProgress> report) : IProgress<PrepareProgress>
    {
        public void Report(PrepareProgress value) => report(value);
    }
}
