using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Tests.Pickles;

/// <summary>Arrays above <see cref="SafeUnpickler.InMemoryLimit"/>: read from the file segment, never copied at load.</summary>
public sealed class SafeUnpicklerLargeTests(LargePickles pickles) : IClassFixture<LargePickles>
{
    public static TheoryData<int> Protocols() => [2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Load_LargeArrays_MatchNumpy(int protocol)
    {
        var name = $"large_p{protocol}";

        var value = SafeUnpickler.Load(pickles.PathOf(name + ".pkl"));

        PickleAssert.Same(pickles.Expected[name], PickleDescriber.Describe(value), name);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Load_LargeArrays_StayInTheFile(int protocol)
    {
        var path = pickles.PathOf($"large_p{protocol}.pkl");

        var value = Assert.IsType<Dictionary<object, object?>>(SafeUnpickler.Load(path));

        foreach (var (key, item) in value)
        {
            var data = Assert.IsType<NumpyArray>(item).Data!;

            // Protocol 2 writes bytes as a latin-1 str (UTF-8 encoded in the file): they can only be decoded into memory.
            var inFile = protocol > 2 && data.Length >= SafeUnpickler.InMemoryLimit;
            Assert.True(inFile != data.InMemory, $"{key}: {data.Length} bytes, in memory {data.InMemory}");
            if (inFile)
            {
                Assert.Equal(path, data.FilePath);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void ReadFloat32_RandomWindows_EqualTheSameSliceOfToFloat32(int protocol)
    {
        var value = Assert.IsType<Dictionary<object, object?>>(SafeUnpickler.Load(pickles.PathOf($"large_p{protocol}.pkl")));
        var random = new Random(protocol);

        foreach (var key in new[] { "audio", "vision", "labels_be", "half", "medium" })
        {
            var array = Assert.IsType<NumpyArray>(value[key]);
            var all = array.ToFloat32();
            for (var i = 0; i < 40; i++)
            {
                var length = random.Next(0, Math.Min(5000, all.Length) + 1);
                var start = random.Next(0, all.Length - length + 1);
                var window = new float[length];
                array.ReadFloat32(start, window);
                Assert.True(all.AsSpan(start, length).SequenceEqual(window), $"{key}: window [{start}, {start + length})");
            }
        }
    }

    [Fact]
    public void Load_MoseiShapedFile_AllocatesFarLessThanTheFile()
    {
        var path = pickles.PathOf("mosei_shaped.pkl");
        SafeUnpickler.Load(path);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var value = Assert.IsType<Dictionary<object, object?>>(SafeUnpickler.Load(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var fileLength = new FileInfo(path).Length;
        Assert.True(allocated < fileLength / 20, $"unpickling a {fileLength}-byte file allocated {allocated} bytes");
        var train = Assert.IsType<Dictionary<object, object?>>(value["train"]);
        Assert.False(Assert.IsType<NumpyArray>(train["audio"]).Data!.InMemory);
        Assert.Equal([100L, 500, 74], Assert.IsType<NumpyArray>(train["audio"]).Shape);
        Assert.Equal(100, Assert.IsType<List<object?>>(train["audio_lengths"]).Count);
    }
}
