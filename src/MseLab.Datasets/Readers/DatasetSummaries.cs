using System.Text.Json;
using System.Text.Json.Serialization;

namespace MseLab.Datasets.Readers;

/// <summary>
/// What was read, in numbers (<c>mselab data inspect</c>): per split the sample count, shapes, length sums, label
/// statistics, and float64 sums of the cleaned padded features, which a numpy script computes the same way from the same
/// files (<c>x.astype(np.float64).sum()</c> after the official loader's astype and cleaning).
/// </summary>
public static partial class DatasetSummaries
{
    /// <summary>
    /// JSON settings for <see cref="DatasetSummary"/>: indented, and non-finite sums (a NaN or +inf left in MOSEI's audio by
    /// the official cleaning) as the strings "NaN", "Infinity", "-Infinity", which plain JSON cannot hold as numbers.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Reads every sample of <paramref name="source"/> once (one sample in memory at a time). Hash is left null.</summary>
    public static DatasetSummary Of(DatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var splits = new Dictionary<string, SplitSummary>();
        foreach (var split in source.Splits)
        {
            splits[split.Name] = new SplitSummary(
                split.Count,
                [split.Audio.Count, split.Audio.Steps, split.Audio.Width],
                [split.Vision.Count, split.Vision.Steps, split.Vision.Width],
                split.AudioLengths.Sum(l => (long)l),
                split.VisionLengths.Sum(l => (long)l),
                Labels(split, source.Info.ClassNames.Count, source.Info.IsClassification),
                Sum(split.Audio),
                Sum(split.Vision));
        }

        return new DatasetSummary(source.Info.Name, null, splits);
    }

    /// <summary>The float64 sum of every value of every sample (padding included).</summary>
    public static double Sum(FeatureSource features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var sample = new float[features.Steps * features.Width];
        var sum = 0.0;
        for (var i = 0; i < features.Count; i++)
        {
            features.CopySample(i, sample);
            foreach (var v in sample)
            {
                sum += v;
            }
        }

        return sum;
    }

    private static LabelSummary Labels(SourceSplit split, int classes, bool classification)
    {
        if (classification)
        {
            // Every class appears, with 0 when the split has none of it: a missing class is then visible.
            var counts = new Dictionary<string, int>();
            for (var c = 0; c < classes; c++)
            {
                counts[c.ToString(System.Globalization.CultureInfo.InvariantCulture)] = split.Labels.Count(l => (int)l == c);
            }

            return new LabelSummary(null, null, null, counts);
        }

        return new LabelSummary(split.Labels.Min(), split.Labels.Max(), split.Labels.Sum(l => (double)l) / split.Count, null);
    }
}
