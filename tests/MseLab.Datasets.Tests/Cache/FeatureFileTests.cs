using MseLab.Datasets.Cache;

namespace MseLab.Datasets.Tests.Cache;

public sealed class FeatureFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-feature-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Map_FileOfMoreThan2To31Floats_ServesEverySampleAcrossTheMemoryLimit()
    {
        // A sparse file (no disk blocks but the few written): 2^31 + 3 samples' worth of floats would not fit one Memory<float>.
        const int sampleLength = 1000;
        const int count = (int)((1L << 31) / sampleLength) + 3;
        var path = Path.Combine(_dir, "big.f32");
        int[] probes = [0, (int.MaxValue / sampleLength) - 1, int.MaxValue / sampleLength, count - 1];
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.SetLength((long)count * sampleLength * sizeof(float));
            foreach (var sample in probes)
            {
                stream.Position = ((long)sample * sampleLength * sizeof(float)) + 4;   // the sample's second float
                stream.Write(BitConverter.GetBytes((float)sample));
            }
        }

        using var file = FeatureFile.Map(path, count, sampleLength);

        foreach (var sample in probes)
        {
            var span = file.Sample(sample).Span;
            Assert.Equal(sampleLength, span.Length);
            Assert.Equal((0f, (float)sample, 0f), (span[0], span[1], span[2]));
        }
    }

    [Fact]
    public void Map_WrongSize_IsACorruptCache()
    {
        var path = Path.Combine(_dir, "short.f32");
        File.WriteAllBytes(path, new byte[4 * 11]);

        var error = Assert.Throws<CorruptCacheException>(() => FeatureFile.Map(path, 3, 4));

        Assert.Contains("44 bytes, not 3 x 4 floats = 48", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_EmptySplit_HasNoSamples()
    {
        var path = Path.Combine(_dir, "empty.f32");
        File.WriteAllBytes(path, []);

        using var file = FeatureFile.Map(path, 0, 4);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.Sample(0));
    }
}
