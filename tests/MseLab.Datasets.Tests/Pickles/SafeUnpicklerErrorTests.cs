using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Tests.Pickles;

/// <summary>Truncated, garbage and unsupported pickles: always a DatasetFileException naming the file and the byte.</summary>
public sealed class SafeUnpicklerErrorTests(BrokenPickles pickles) : IClassFixture<BrokenPickles>, IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("mselab-pickle-errors-").FullName;

    public static TheoryData<string> Datasets() => ["dataset_p2.pkl", "dataset_p4.pkl", "dataset_p5.pkl", "dataset_p4_numpy2.pkl"];

    public static TheoryData<string> Unsupported() =>
    [
        "complex.pkl", "datetime.pkl", "structured.pkl", "bytes_dtype.pkl", "longdouble.pkl", "complex_scalar.pkl",
        "out_of_band.pkl", "persistent_p0.pkl", "persistent_p4.pkl", "extension.pkl",
    ];

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Load_WholeDatasetLikeFile_MatchesNumpy(string file)
    {
        var value = SafeUnpickler.Load(pickles.PathOf(file));

        PickleAssert.Same(pickles.Expected["datasets"]![file], PickleDescriber.Describe(value), file);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Load_TruncatedAnywhere_PickleFormatExceptionNamingFileAndOffset(string file)
    {
        var bytes = File.ReadAllBytes(pickles.PathOf(file));
        var path = Path.Combine(_scratch, "truncated.pkl");

        // Every offset near both ends (headers, STOP), every 7th in between (opcodes, arguments, array data).
        var offsets = Enumerable.Range(0, bytes.Length).Where(n => n < 300 || n > bytes.Length - 300 || n % 7 == 0).ToList();
        foreach (var length in offsets)
        {
            File.WriteAllBytes(path, bytes.AsSpan(0, length));

            var error = Assert.Throws<PickleFormatException>(() => SafeUnpickler.Load(path));

            Assert.Equal(path, error.File);
            Assert.InRange(error.Offset, 0, length);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_TruncatedInsideLargeArrayData_SaysWhereTheFileEnds()
    {
        var bytes = File.ReadAllBytes(pickles.PathOf("dataset_p5.pkl"));
        var path = Path.Combine(_scratch, "cut.pkl");
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2));

        var error = Assert.Throws<PickleFormatException>(() => SafeUnpickler.Load(path));

        Assert.Contains($"the file has {bytes.Length / 2} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("fetch it again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Garbage_PickleFormatException()
    {
        var path = Path.Combine(_scratch, "garbage.pkl");
        foreach (var content in new[] { new byte[100], "{\"not\": \"a pickle\"}"u8.ToArray(), [], [0x80, 0x05], [0x80, 0x09, 0x4e, 0x2e] })
        {
            File.WriteAllBytes(path, content);

            var error = Assert.ThrowsAny<DatasetFileException>(() => SafeUnpickler.Load(path));

            Assert.True(error is PickleFormatException or UnsupportedPickleException, $"{Convert.ToHexString(content)}: {error}");
        }
    }

    [Fact]
    public void Load_RandomAndMutatedBytes_OnlyEverADatasetFileException()
    {
        var valid = File.ReadAllBytes(pickles.PathOf("dataset_p4.pkl"));
        var path = Path.Combine(_scratch, "fuzz.pkl");
        var random = new Random(1234);
        for (var i = 0; i < 600; i++)
        {
            byte[] content;
            if (i % 3 == 0)
            {
                content = new byte[random.Next(1, 3000)];
                random.NextBytes(content);
            }
            else
            {
                content = (byte[])valid.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    content[random.Next(content.Length)] = (byte)random.Next(256);
                }
            }

            File.WriteAllBytes(path, content);
            try
            {
                SafeUnpickler.Load(path);
            }
            catch (DatasetFileException)
            {
                // Refused as malformed, unsafe or unsupported: all fine; anything else fails the test.
            }
        }
    }

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Load_ContentDatasetsNeverHold_UnsupportedPickleExceptionSayingWhat(string file)
    {
        var path = pickles.PathOf(file);

        var error = Assert.Throws<UnsupportedPickleException>(() => SafeUnpickler.Load(path));

        Assert.Equal(path, error.File);
        foreach (var word in pickles.Expected["unsupported"]![file]!.AsArray())
        {
            Assert.Contains(word!.GetValue<string>(), error.Message, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
