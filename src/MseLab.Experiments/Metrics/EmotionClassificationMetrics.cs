namespace MseLab.Experiments.Metrics;

/// <summary>MELD/CHERMA metrics: <c>accuracy_score</c> and weighted <c>f1_score</c> (spec §4).</summary>
internal static class EmotionClassificationMetrics
{
    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<float> truth, IReadOnlyList<float> prediction)
    {
        MetricInputs.RequireIntegerTruth(truth);

        // Truths are class indices and predictions parsed floats; they compare as numbers (3 == 3.0). A
        // non-integer or non-finite prediction (which sklearn would refuse) is simply a class no truth has.
        var t = truth.Select(x => (double)x).ToArray();
        var p = prediction.Select(x => (double)x).ToArray();
        return OrderedMetrics.Of(
            (MetricKeys.Acc, Accuracy.Compute(t, p)),
            (MetricKeys.WeightedF1, WeightedF1.Compute(t, p)));
    }
}
