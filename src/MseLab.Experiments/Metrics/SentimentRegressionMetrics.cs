namespace MseLab.Experiments.Metrics;

/// <summary>MOSI/MOSEI metrics (MMSA <c>__eval_mosei_regression</c>, spec §4).</summary>
internal static class SentimentRegressionMetrics
{
    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<float> truth, IReadOnlyList<float> prediction)
    {
        // Has0: x >= 0 over all samples, so an exact 0.0 (or -0.0) prediction is positive.
        var (has0Acc, has0F1) = Binary(truth, prediction, Enumerable.Range(0, truth.Count), x => x >= 0);

        // Non0: drop truth == 0, then x > 0, so an exact 0.0 prediction is negative. With no non-zero truth the
        // reference fails (it indexes with an empty float array); we report NaN so the other metrics survive.
        var nonZero = Enumerable.Range(0, truth.Count).Where(i => truth[i] != 0).ToArray();
        var (non0Acc, non0F1) = nonZero.Length == 0
            ? (double.NaN, double.NaN)
            : Binary(truth, prediction, nonZero, x => x > 0);

        return OrderedMetrics.Of(
            (MetricKeys.Has0Acc2, has0Acc),
            (MetricKeys.Has0F1, has0F1),
            (MetricKeys.Non0Acc2, non0Acc),
            (MetricKeys.Non0F1, non0F1),
            (MetricKeys.Acc5, RoundedAccuracy(truth, prediction, 2f)),
            (MetricKeys.Acc7, RoundedAccuracy(truth, prediction, 3f)),
            (MetricKeys.Mae, MeanAbsoluteError.Compute(truth, prediction)),
            (MetricKeys.Corr, Pearson.Compute(prediction, truth)));
    }

    private static (double Accuracy, double F1) Binary(
        IReadOnlyList<float> truth, IReadOnlyList<float> prediction, IEnumerable<int> samples, Func<float, bool> positive)
    {
        var t = new List<double>();
        var p = new List<double>();
        foreach (var i in samples)
        {
            t.Add(positive(truth[i]) ? 1 : 0);
            p.Add(positive(prediction[i]) ? 1 : 0);
        }

        return (Accuracy.Compute(t, p), WeightedF1.Compute(t, p));
    }

    // Mult_acc_5 / Mult_acc_7: clip to [-limit, limit], round half to even (np.round), compare.
    private static double RoundedAccuracy(IReadOnlyList<float> truth, IReadOnlyList<float> prediction, float limit)
    {
        var hits = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            // MathF.Round is half-to-even by default, like np.round; Math.Clamp keeps NaN, like np.clip.
            var t = MathF.Round(Math.Clamp(truth[i], -limit, limit), MidpointRounding.ToEven);
            var p = MathF.Round(Math.Clamp(prediction[i], -limit, limit), MidpointRounding.ToEven);
            if (t == p)
            {
                hits++;
            }
        }

        return (double)hits / truth.Count;
    }
}
