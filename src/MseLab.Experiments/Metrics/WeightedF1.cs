namespace MseLab.Experiments.Metrics;

/// <summary>
/// <c>sklearn.metrics.f1_score(truth, prediction, average='weighted')</c> for labels given as numbers.
/// </summary>
/// <remarks>
/// The classes are the union of the labels seen in truth and prediction, sorted ascending. Each class's F1 is
/// 2PR/(P+R), with P (or R) = 0 when its denominator is 0 and F1 = 0 when P+R = 0 (sklearn's zero_division
/// default). The average is weighted by the class's support in the truth, so a label seen only in predictions
/// weighs 0 but still costs the true class its recall. Labels compare as numbers (3 equals 3.0, -0 equals 0);
/// NaN is one label of its own, which sklearn would refuse but which can only come from a prediction.
/// </remarks>
public static class WeightedF1
{
    /// <summary>Weighted F1 of <paramref name="prediction"/> against <paramref name="truth"/> (same length, non-empty).</summary>
    public static double Compute(IReadOnlyList<double> truth, IReadOnlyList<double> prediction)
    {
        MetricInputs.RequireSameNonZeroLength(truth.Count, prediction.Count);

        // Dictionary<double,...> uses double.Equals, under which NaN equals NaN: NaN predictions form one class.
        var labels = truth.Concat(prediction).Select(Normalize).Distinct().Order().ToArray();
        var index = new Dictionary<double, int>(labels.Length);
        for (var i = 0; i < labels.Length; i++)
        {
            index[labels[i]] = i;
        }

        var truePositives = new long[labels.Length];
        var predicted = new long[labels.Length];
        var support = new long[labels.Length];
        for (var i = 0; i < truth.Count; i++)
        {
            var t = index[Normalize(truth[i])];
            var p = index[Normalize(prediction[i])];
            support[t]++;
            predicted[p]++;
            if (t == p)
            {
                truePositives[t]++;
            }
        }

        double weightedSum = 0;
        double totalSupport = 0;
        for (var c = 0; c < labels.Length; c++)
        {
            weightedSum += ClassF1(truePositives[c], predicted[c], support[c]) * support[c];
            totalSupport += support[c];
        }

        return weightedSum / totalSupport;
    }

    private static double ClassF1(long truePositives, long predicted, long support)
    {
        var precision = predicted == 0 ? 0.0 : (double)truePositives / predicted;
        var recall = support == 0 ? 0.0 : (double)truePositives / support;
        var denominator = precision + recall;
        return denominator == 0 ? 0.0 : 2.0 * precision * recall / denominator;
    }

    // -0.0 and 0.0 are the same class, as in numpy's unique.
    private static double Normalize(double label) => label == 0 ? 0.0 : label;
}
