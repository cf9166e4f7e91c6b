using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MseLab.Datasets.Cache;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Cache;

public sealed class ContentHasherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-hash-").FullName;

    private string CacheDir => Path.Combine(_dir, "cache");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void DatasetHash_IsSha256OverRelativePathTabFileHashLines()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Meld);

        var hash = new ContentHasher(CacheDir).DatasetHash(fake.Root, fake.RelativeFiles, () => "");

        var lines = string.Concat(fake.RelativeFiles.Select(f => $"{f}\t{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(fake.FullPath(f))))}\n"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines))), hash);
        Assert.Equal("MELD/meld_train.pkl", fake.RelativeFiles[0]);
    }

    [Fact]
    public void DatasetHash_UnchangedOldFiles_AreReadOnce()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Meld);
        fake.AgeFiles();
        var first = new ContentHasher(CacheDir);
        var hash = first.DatasetHash(fake.Root, fake.RelativeFiles, () => "");

        var second = new ContentHasher(CacheDir);

        Assert.Equal(hash, second.DatasetHash(fake.Root, fake.RelativeFiles, () => ""));
        Assert.Equal(fake.RelativeFiles.Sum(f => new FileInfo(fake.FullPath(f)).Length), first.BytesHashed);
        Assert.Equal(0, second.BytesHashed);
    }

    [Fact]
    public void DatasetHash_FileWrittenJustNow_IsNotRemembered()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        new ContentHasher(CacheDir).DatasetHash(fake.Root, fake.RelativeFiles, () => "");

        var again = new ContentHasher(CacheDir);
        again.DatasetHash(fake.Root, fake.RelativeFiles, () => "");

        // A same-size rewrite in the same clock tick would not move the time: such a file is hashed again, not trusted.
        Assert.True(again.BytesHashed > 0);
    }

    [Fact]
    public void DatasetHash_SameSizeNewContentAndNewTime_Changes()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        var file = fake.FullPath(fake.RelativeFiles[0]);
        var old = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(file, old);
        var before = new ContentHasher(CacheDir).DatasetHash(fake.Root, fake.RelativeFiles, () => "");

        Rewrite(file);
        File.SetLastWriteTimeUtc(file, old.AddSeconds(1));   // any normal write moves the time; 1 s is enough

        Assert.NotEqual(before, new ContentHasher(CacheDir).DatasetHash(fake.Root, fake.RelativeFiles, () => ""));
    }

    [Fact]
    public void DatasetHash_SameSizeNewContentWithTheOldTimeRestored_KeepsTheOldHash_TheDocumentedLimit()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        var file = fake.FullPath(fake.RelativeFiles[0]);
        var old = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(file, old);
        var before = new ContentHasher(CacheDir).DatasetHash(fake.Root, fake.RelativeFiles, () => "");

        Rewrite(file);
        File.SetLastWriteTimeUtc(file, old);

        // (path, size, time) is the key, as for make and rsync: a deliberately restored time hides the change from the
        // index. Deleting hash-index.json from the cache folder makes every file be hashed again.
        Assert.Equal(before, new ContentHasher(CacheDir).DatasetHash(fake.Root, fake.RelativeFiles, () => ""));
        File.Delete(Path.Combine(CacheDir, ContentHasher.IndexFileName));
        Assert.NotEqual(before, new ContentHasher(CacheDir).DatasetHash(fake.Root, fake.RelativeFiles, () => ""));
    }

    [Fact]
    public void DatasetHash_ConcurrentWriters_LeaveAReadableIndexWithCorrectHashes()
    {
        var datasets = Enumerable.Range(0, 6).Select(i => new FakeDataset(Path.Combine(_dir, $"data{i}"), PaperDataset.Meld, seed: i)).ToList();
        datasets.ForEach(d => d.AgeFiles());
        var expected = datasets.Select(d => new ContentHasher(Path.Combine(_dir, "reference")).DatasetHash(d.Root, d.RelativeFiles, () => "")).ToList();

        var actual = new string[datasets.Count];
        Parallel.For(0, datasets.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 6 }, k =>
        {
            var d = k % datasets.Count;
            actual[d] = new ContentHasher(CacheDir).DatasetHash(datasets[d].Root, datasets[d].RelativeFiles, () => "");
        });

        Assert.Equal(expected, actual);
        var index = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(CacheDir, ContentHasher.IndexFileName)), CacheJson.Default.HashIndexFile);
        Assert.NotNull(index);
        Assert.All(index.Entries, e => Assert.True(File.Exists(e.Path)));
        Assert.Empty(Directory.GetFiles(CacheDir, "*.tmp"));
    }

    [Fact]
    public void DatasetHash_UnreadableIndex_IsRebuilt()
    {
        var fake = new FakeDataset(Path.Combine(_dir, "data"), PaperDataset.Mosei);
        fake.AgeFiles();
        Directory.CreateDirectory(CacheDir);
        File.WriteAllText(Path.Combine(CacheDir, ContentHasher.IndexFileName), "{ torn");

        var hash = new ContentHasher(CacheDir).DatasetHash(fake.Root, fake.RelativeFiles, () => "");
        var again = new ContentHasher(CacheDir);

        Assert.Equal(hash, again.DatasetHash(fake.Root, fake.RelativeFiles, () => ""));
        Assert.Equal(0, again.BytesHashed);
    }

    private static void Rewrite(string file)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
    }
}
