namespace MseLab.Experiments.Metrics;

/// <summary>SIMS/SIMS-V2 metrics (MSE-Adapter <c>__eval_sims_regression</c>, spec §4).</summary>
internal static class SimsRegressionMetrics
{
    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<float> truth, IReadOnlyList<float> prediction)
    {
        // Everything below, MAE, Corr and R2 included, uses the values clipped to [-1, 1].
        var t = truth.Select(x => Math.Clamp(x, -1f, 1f)).ToArray();
        var p = prediction.Select(x => Math.Clamp(x, -1f, 1f)).ToArray();

        var t2 = Bins(t, SimsBins.TwoClass);
        var p2 = Bins(p, SimsBins.TwoClass);
        var weak = Enumerable.Range(0, t.Length).Where(i => t[i] >= SimsBins.WeakLow && t[i] <= SimsBins.WeakHigh).ToArray();

        return OrderedMetrics.Of(
            (MetricKeys.Acc2, Accuracy.Compute(t2, p2)),

            // No truth in [-0.4, 0.4]: the reference divides 0 by 0.0 and gets NaN; so do we.
            (MetricKeys.Acc2Weak, weak.Length == 0
                ? double.NaN
                : Accuracy.Compute([.. weak.Select(i => t2[i])], [.. weak.Select(i => p2[i])])),
            (MetricKeys.Acc3, Accuracy.Compute(Bins(t, SimsBins.ThreeClass), Bins(p, SimsBins.ThreeClass))),
            (MetricKeys.Acc5, Accuracy.Compute(Bins(t, SimsBins.FiveClass), Bins(p, SimsBins.FiveClass))),
            (MetricKeys.F1, WeightedF1.Compute(t2, p2)),
            (MetricKeys.Mae, MeanAbsoluteError.Compute(t, p)),
            (MetricKeys.Corr, Pearson.Compute(p, t)),
            (MetricKeys.R2, RSquared.Compute(t, p)));
    }

    private static double[] Bins(float[] values, IReadOnlyList<float> edges) =>
        [.. values.Select(x => (double)SimsBins.Of(x, edges))];
}
