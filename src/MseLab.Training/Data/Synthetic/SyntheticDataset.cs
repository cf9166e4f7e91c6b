using MseLab.Experiments.Datasets;

namespace MseLab.Training.Data.Synthetic;

/// <summary>
/// Generates a dataset in a paper dataset's exact shapes with a planted multimodal signal, deterministic by seed.
/// Each valid audio/video step is <c>strength * signal(label) + N(0, 1)</c> noise; padding stays zero. Regression:
/// the signal is a fixed random direction scaled by label / range. Classification: a fixed random prototype per class.
/// Text is label-free filler, so only the audio and video carry the label.
/// </summary>
public static class SyntheticDataset
{
    private const float Strength = 0.6f;

    /// <summary>Generates all three splits of <paramref name="spec"/>.</summary>
    public static MultimodalDataset Generate(SyntheticDatasetRef spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var shape = spec.Info;
        var random = new Random(spec.Seed);
        var classes = shape.Kind == TaskKind.Classification ? 7 : 1;
        var audioSignal = Enumerable.Range(0, classes).Select(_ => RandomSigns(random, shape.AudioDim)).ToArray();
        var videoSignal = Enumerable.Range(0, classes).Select(_ => RandomSigns(random, shape.VideoDim)).ToArray();

        List<MultimodalSample> Split(string name, int count) =>
            Enumerable.Range(0, count).Select(i => Sample(random, shape, $"{name}-{i}", audioSignal, videoSignal)).ToList();

        return new MultimodalDataset(shape, Split("train", spec.Train), Split("valid", spec.Valid), Split("test", spec.Test));
    }

    private static MultimodalSample Sample(Random random, PaperDatasetInfo shape, string id, float[][] audioSignal, float[][] videoSignal)
    {
        float label;
        float[] audioDirection, videoDirection;
        float scale;
        if (shape.Kind == TaskKind.Classification)
        {
            var cls = random.Next(7);
            label = cls;
            (audioDirection, videoDirection, scale) = (audioSignal[cls], videoSignal[cls], 1f);
        }
        else
        {
            var range = shape.LabelBound;
            // Like MOSEI's averaged ratings: mostly spread out, one in ten exactly neutral.
            label = random.NextDouble() < 0.1 ? 0f : MathF.Round((float)((random.NextDouble() * 2) - 1) * range, 2);
            (audioDirection, videoDirection, scale) = (audioSignal[0], videoSignal[0], label / range);
        }

        var audioLength = random.Next(Math.Min(8, shape.AudioSteps), Math.Min(40, shape.AudioSteps) + 1);
        var videoLength = random.Next(Math.Min(4, shape.VideoSteps), Math.Min(32, shape.VideoSteps) + 1);
        var audio = Features(random, shape.AudioSteps, shape.AudioDim, audioLength, audioDirection, scale);
        var video = Features(random, shape.VideoSteps, shape.VideoDim, videoLength, videoDirection, scale);
        var words = random.Next(6, 15);
        var text = string.Join(' ', Enumerable.Range(0, words).Select(_ => SyntheticVocabulary.Filler[random.Next(SyntheticVocabulary.Filler.Count)]));
        return new MultimodalSample(id, text, audio, audioLength, video, videoLength, label);
    }

    private static float[] Features(Random random, int steps, int dim, int length, float[] direction, float scale)
    {
        var values = new float[steps * dim];
        for (var t = 0; t < length; t++)
        {
            for (var d = 0; d < dim; d++)
            {
                values[(t * dim) + d] = (Strength * scale * direction[d]) + Gaussian(random);
            }
        }

        return values;
    }

    private static float[] RandomSigns(Random random, int dim) => Enumerable.Range(0, dim).Select(_ => random.Next(2) == 0 ? -1f : 1f).ToArray();

    private static float Gaussian(Random random)
    {
        // Box-Muller; 1 - u keeps the logarithm finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
