using System.Globalization;
using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Cache;

/// <summary>
/// A split's <see cref="SplitSummary"/> from its fields and a way to read each sample: shapes, sums of the true lengths,
/// label statistics, and float64 sums of every feature value, sample after sample in order (one deterministic order, so
/// a prepared split and the source it came from give the same numbers).
/// </summary>
internal static class SplitSummaries
{
    /// <summary>Sample <paramref name="index"/>'s values: a view, or <paramref name="scratch"/> filled.</summary>
    public delegate ReadOnlySpan<float> SampleReader(int index, Span<float> scratch);

    public static SplitSummary Of(
        PaperDatasetInfo info,
        int count,
        (int Steps, int Width) audio,
        (int Steps, int Width) vision,
        IReadOnlyList<int> audioLengths,
        IReadOnlyList<int> visionLengths,
        IReadOnlyList<float> labels,
        SampleReader readAudio,
        SampleReader readVision) =>
        new(
            count,
            [count, audio.Steps, audio.Width],
            [count, vision.Steps, vision.Width],
            audioLengths.Sum(l => (long)l),
            visionLengths.Sum(l => (long)l),
            Labels(info, labels),
            Sum(count, audio.Steps * audio.Width, readAudio),
            Sum(count, vision.Steps * vision.Width, readVision));

    private static LabelSummary Labels(PaperDatasetInfo info, IReadOnlyList<float> labels)
    {
        if (info.IsClassification)
        {
            var counts = Enumerable.Range(0, info.ClassNames.Count).ToDictionary(c => c.ToString(CultureInfo.InvariantCulture), _ => 0);
            foreach (var label in labels)
            {
                var key = ((int)label).ToString(CultureInfo.InvariantCulture);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }

            return new LabelSummary(null, null, null, counts);
        }

        return labels.Count == 0
            ? new LabelSummary(null, null, null, null)
            : new LabelSummary(labels.Min(), labels.Max(), labels.Sum(l => (double)l) / labels.Count, null);
    }

    private static double Sum(int count, int sampleLength, SampleReader read)
    {
        var scratch = new float[sampleLength];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            foreach (var value in read(i, scratch))
            {
                sum += value;
            }
        }

        return sum;
    }
}
