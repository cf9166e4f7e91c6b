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

    /// <summary>
    /// Stacks <paramref name="samples"/> (copies of their feature views). The padded steps T of each modality come from the
    /// data, as the official loader takes them from the arrays (not from the configuration): every sample of a batch has
    /// the same T, its split's.
    /// </summary>
    /// <exception cref="InvalidDataException">The samples' features are not whole frames of the dataset's widths, or differ in steps.</exception>
    public MultimodalBatch Collate(IReadOnlyList<MultimodalSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var b = samples.Count;
        var audioSteps = Steps(samples, s => s.Audio.Length, shape.AudioDim, "audio");
        var videoSteps = Steps(samples, s => s.Video.Length, shape.VideoDim, "video");
        var text = new long[b * shape.TextLength];
        var audio = new float[b * audioSteps * shape.AudioDim];
        var video = new float[b * videoSteps * shape.VideoDim];
        for (var i = 0; i < b; i++)
        {
            var s = samples[i];
            var ids = TextIds(s.Text);
            for (var j = 0; j < ids.Length; j++)
            {
                text[(i * shape.TextLength) + j] = ids[j];
            }

            s.Audio.Span.CopyTo(audio.AsSpan(i * s.Audio.Length));
            s.Video.Span.CopyTo(video.AsSpan(i * s.Video.Length));
        }

        return new MultimodalBatch(
            tensor(text, [b, shape.TextLength], device: device),
            tensor(audio, [b, audioSteps, shape.AudioDim], device: device),
            tensor(samples.Select(s => (long)s.AudioLength).ToArray()),
            tensor(video, [b, videoSteps, shape.VideoDim], device: device),
            tensor(samples.Select(s => (long)s.VideoLength).ToArray()),
            samples);
    }

    private static int Steps(IReadOnlyList<MultimodalSample> samples, Func<MultimodalSample, int> length, int dim, string modality)
    {
        var first = length(samples[0]);
        if (first % dim != 0 || samples.Any(s => length(s) != first))
        {
            var odd = samples.First(s => length(s) % dim != 0 || length(s) != first);
            throw new InvalidDataException(
                $"Sample {odd.Id}: {length(odd)} {modality} values are not the {first / dim} frames x {dim} features of sample {samples[0].Id}. A batch needs one padded length per modality; check the dataset's {modality} arrays.");
        }

        return first / dim;
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
