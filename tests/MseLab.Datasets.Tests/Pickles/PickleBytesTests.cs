using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Tests.Pickles;

/// <summary>File-backed byte strings: read on demand, in parts or as a stream, and a file that shrank is named.</summary>
public sealed class PickleBytesTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("mselab-pickle-bytes-").FullName, "data.bin");

    public PickleBytesTests() => File.WriteAllBytes(_path, [.. Enumerable.Range(0, 256).Select(i => (byte)i)]);

    [Fact]
    public void Read_FileSegment_ReadsFromItsOffset()
    {
        var bytes = new PickleBytes(_path, 100, 50);
        var part = new byte[5];

        bytes.Read(10, part);

        Assert.False(bytes.InMemory);
        Assert.Equal([110, 111, 112, 113, 114], part);
        Assert.Equal(Enumerable.Range(100, 50).Select(i => (byte)i), bytes.ToArray());
        Assert.Throws<InvalidOperationException>(() => bytes.Memory);
        Assert.Throws<ArgumentOutOfRangeException>(() => bytes.Read(48, new byte[3]));
    }

    [Fact]
    public void OpenRead_FileSegment_StreamsExactlyTheSegment()
    {
        using var stream = new PickleBytes(_path, 200, 40).OpenRead();
        using var copy = new MemoryStream();

        stream.CopyTo(copy);
        stream.Seek(-2, SeekOrigin.End);

        Assert.Equal(Enumerable.Range(200, 40).Select(i => (byte)i), copy.ToArray());
        Assert.Equal(238, stream.ReadByte());
    }

    [Fact]
    public void Read_FileShrankSinceUnpickling_PickleFormatExceptionNamingTheFile()
    {
        var bytes = new PickleBytes(_path, 200, 50);
        File.WriteAllBytes(_path, new byte[220]);

        var error = Assert.Throws<PickleFormatException>(() => bytes.ToArray());

        Assert.Equal(_path, error.File);
        Assert.Contains("changed after it was unpickled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenRead_InMemory_ReadOnlyStreamOfTheBytes()
    {
        using var stream = new PickleBytes(new byte[] { 1, 2, 3 }).OpenRead();

        Assert.False(stream.CanWrite);
        Assert.Equal(3, stream.Length);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
}
