using MseLab.Experiments.Datasets;
using MseLab.Models.Tokenization;
using MseLab.Training.Batching;
using MseLab.Training.Data;
using MseLab.Training.Data.Synthetic;
using static TorchSharp.torch;

namespace MseLab.Training.Tests.Batching;

/// <summary>
/// The collator on samples whose features are views (of one shared buffer, as the mapped cache gives them): it copies each
/// view into the batch, and takes the padded steps T from the data, not from the paper dataset's configured lengths.
/// </summary>
public sealed class BatchCollatorTests
{
    private static readonly PaperDatasetInfo Mosei = PaperDatasets.Info(PaperDataset.Mosei);

    // One buffer for all samples' audio and one for video, each sample a slice: views, no per-sample arrays.
    private static List<MultimodalSample> Views(int count, int audioSteps, int videoSteps, out float[] audio, out float[] video)
    {
        var random = new Random(5);
        var a = audio = new float[count * audioSteps * Mosei.AudioDim];
        var v = video = new float[count * videoSteps * Mosei.VideoDim];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = (float)random.NextDouble();
        }

        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)random.NextDouble();
        }

        return [.. Enumerable.Range(0, count).Select(i => new MultimodalSample(
            $"s{i}", $"text {i}",
            a.AsMemory(i * audioSteps * Mosei.AudioDim, audioSteps * Mosei.AudioDim), 1 + (i % audioSteps),
            v.AsMemory(i * videoSteps * Mosei.VideoDim, videoSteps * Mosei.VideoDim), 1 + (i % videoSteps),
            i - 1.5f))];
    }

    private static BatchCollator Collator() => new(Mosei, new CharTokenizer(), padId: 0, CPU);

    [Fact]
    public void Collate_Views_StepsFromTheDataAndValuesCopied()
    {
        // MOSEI is configured with 500 steps; this data is padded to 7 audio and 3 video steps, as a file may be.
        var samples = Views(4, audioSteps: 7, videoSteps: 3, out var audio, out var video);

        using var batch = Collator().Collate(samples);

        Assert.Equal([4L, 7, Mosei.AudioDim], batch.Audio.shape);
        Assert.Equal([4L, 3, Mosei.VideoDim], batch.Video.shape);
        Assert.Equal([4L, Mosei.TextLength], batch.TextIds.shape);
        Assert.Equal(audio, batch.Audio.data<float>().ToArray());
        Assert.Equal(video, batch.Video.data<float>().ToArray());
        Assert.Equal([1L, 2, 3, 4], batch.AudioLengths.data<long>().ToArray());
        Assert.Equal([1L, 2, 3, 1], batch.VideoLengths.data<long>().ToArray());
    }

    [Fact]
    public void Collate_ASubsetOfViews_TakesEachSamplesOwnSlice()
    {
        var samples = Views(5, audioSteps: 2, videoSteps: 2, out var audio, out _);

        using var batch = Collator().Collate([samples[3], samples[0]]);

        var frame = 2 * Mosei.AudioDim;
        Assert.Equal(audio.AsSpan(3 * frame, frame).ToArray(), batch.Audio[0].data<float>().ToArray());
        Assert.Equal(audio.AsSpan(0, frame).ToArray(), batch.Audio[1].data<float>().ToArray());
    }

    [Fact]
    public void Collate_SyntheticArrays_KeepTheConfiguredSteps()
    {
        using var dataset = SyntheticDataset.Generate(new SyntheticDatasetRef(PaperDataset.Mosei, Train: 3, Valid: 1, Test: 1));

        using var batch = Collator().Collate(dataset.Train);

        Assert.Equal([3L, Mosei.AudioSteps, Mosei.AudioDim], batch.Audio.shape);
        Assert.Equal([3L, Mosei.VideoSteps, Mosei.VideoDim], batch.Video.shape);
        Assert.Equal(dataset.Train[2].Audio.ToArray(), batch.Audio[2].data<float>().ToArray());
    }

    [Fact]
    public void Collate_StepsDifferWithinABatch_NamesTheSamples()
    {
        var shorter = Views(1, audioSteps: 2, videoSteps: 2, out _, out _)[0];
        var longer = Views(1, audioSteps: 3, videoSteps: 2, out _, out _)[0] with { Id = "long" };

        var error = Assert.Throws<InvalidDataException>(() => Collator().Collate([shorter, longer]));

        Assert.Contains("Sample long: 222 audio values are not the 2 frames x 74 features of sample s0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collate_NotWholeFrames_IsAnError()
    {
        var sample = Views(1, audioSteps: 2, videoSteps: 2, out _, out _)[0];
        var cut = sample with { Video = sample.Video[..^1] };

        var error = Assert.Throws<InvalidDataException>(() => Collator().Collate([cut]));

        Assert.Contains("69 video values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProvenanceHash_SourceHashForStoredDataElseTheContentHash()
    {
        using var synthetic = SyntheticDataset.Generate(new SyntheticDatasetRef(PaperDataset.Meld, Train: 2, Valid: 1, Test: 1));
        var stored = synthetic with { SourceHash = new string('c', 64) };

        Assert.Equal(synthetic.ContentHash(), synthetic.ProvenanceHash());
        Assert.Equal(new string('c', 64), stored.ProvenanceHash());
        Assert.Equal(IndependentHash(synthetic), synthetic.ContentHash());
    }

    [Fact]
    public void Dispose_ReleasesWhatTheViewsPointInto()
    {
        var owner = new Owner();
        var dataset = new MultimodalDataset(Mosei, [], [], []) { Owner = owner };

        dataset.Dispose();

        Assert.True(owner.Disposed);
    }

    // The provenance hash of synthetic data as releases before views computed it: every sample's text, audio and video
    // bytes, lengths and label, splits in order (a ReadOnlyMemory over the same array hashes the same bytes).
    private static string IndependentHash(MultimodalDataset dataset)
    {
        using var all = new MemoryStream();
        foreach (var s in dataset.Train.Concat(dataset.Valid).Concat(dataset.Test))
        {
            var audio = s.Audio.ToArray();
            var video = s.Video.ToArray();
            var bytes = new byte[(audio.Length + video.Length) * sizeof(float)];
            Buffer.BlockCopy(audio, 0, bytes, 0, audio.Length * sizeof(float));
            Buffer.BlockCopy(video, 0, bytes, audio.Length * sizeof(float), video.Length * sizeof(float));
            all.Write(System.Text.Encoding.UTF8.GetBytes(s.Text));
            all.Write(bytes);
            all.Write(BitConverter.GetBytes(s.AudioLength));
            all.Write(BitConverter.GetBytes(s.VideoLength));
            all.Write(BitConverter.GetBytes(s.Label));
        }

        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(all.ToArray()));
    }

    private sealed class Owner : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    // One id per character: the collator's text path needs only some ids.
    private sealed class CharTokenizer : ITextTokenizer
    {
        public int VocabSize => 256;

        public int[] Encode(string text, bool addSpecialTokens) => [.. text.Select(c => (int)c % 256)];

        public string Decode(IReadOnlyList<int> ids) => new([.. ids.Select(i => (char)i)]);

        public int TokenToId(string token) => token[0];

        public bool TryTokenToId(string token, out int id)
        {
            id = token.Length == 1 ? token[0] : 0;
            return token.Length == 1;
        }

        public void Dispose()
        {
        }
    }
}
