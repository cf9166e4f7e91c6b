using MseLab.Experiments.Datasets;
using MseLab.Models.Tokenization;
using MseLab.Training.Data;
using static TorchSharp.torch;

namespace MseLab.Training.Batching;

/// <summary>
/// Stacks samples into tensors. Text is tokenized without special tokens and left-padded (or truncated) to the
/// dataset's L with the backbone's pad id, once per distinct text.
/// </summary>
public sealed class BatchCollator(PaperDatasetInfo shape, ITextTokenizer tokenizer, int padId, Device device)
{
    private readonly Dictionary<string, int[]> _textIds = new(StringComparer.Ordinal);

    /// <summary>The left-padded ids of <paramref name="text"/> (length L).</summary>
    public int[] TextIds(string text)
    {
        if (!_textIds.TryGetValue(text, out var ids))
        {
            ids = TokenSequences.LeftPadOrTruncate(tokenizer.Encode(text, addSpecialTokens: false), shape.TextLength, padId);
            _textIds[text] = ids;
        }

        return ids;
    }

    public MultimodalBatch Collate(IReadOnlyList<MultimodalSample> samples)
    {
        var b = samples.Count;
        var text = new long[b * shape.TextLength];
        var audio = new float[b * shape.AudioSteps * shape.AudioDim];
        var video = new float[b * shape.VideoSteps * shape.VideoDim];
        for (var i = 0; i < b; i++)
        {
            var s = samples[i];
            var ids = TextIds(s.Text);
            for (var j = 0; j < ids.Length; j++)
            {
                text[(i * shape.TextLength) + j] = ids[j];
            }

            Array.Copy(s.Audio, 0, audio, i * s.Audio.Length, s.Audio.Length);
            Array.Copy(s.Video, 0, video, i * s.Video.Length, s.Video.Length);
        }

        return new MultimodalBatch(
            tensor(text, [b, shape.TextLength], device: device),
            tensor(audio, [b, shape.AudioSteps, shape.AudioDim], device: device),
            tensor(samples.Select(s => (long)s.AudioLength).ToArray()),
            tensor(video, [b, shape.VideoSteps, shape.VideoDim], device: device),
            tensor(samples.Select(s => (long)s.VideoLength).ToArray()),
            samples);
    }

    /// <summary>Splits <paramref name="samples"/> into batches in the order of <paramref name="order"/> (no drop_last).</summary>
    public static IEnumerable<IReadOnlyList<MultimodalSample>> Batches(IReadOnlyList<MultimodalSample> samples, int batchSize, int[]? order = null)
    {
        var indices = order ?? Enumerable.Range(0, samples.Count).ToArray();
        for (var start = 0; start < indices.Length; start += batchSize)
        {
            yield return indices.Skip(start).Take(batchSize).Select(i => samples[i]).ToList();
        }
    }
}
