namespace MseLab.Experiments.Metrics;

/// <summary>
/// The MSE-Adapter evaluation metrics per task (spec §4) and the model-selection rule (spec §5.1).
/// </summary>
public static class TaskMetrics
{
    /// <summary>
    /// The checkpoint-selection tolerance: a validation key must improve by at least this much
    /// (MMSA: <c>cur &lt;= best - 1e-6</c> for MAE, <c>cur &gt;= best + 1e-6</c> for F1).
    /// </summary>
    public const double SelectionTolerance = 1e-6;

    /// <summary>
    /// Computes the task's metrics as fractions (not x100, not rounded), in this key order:
    /// MOSI/MOSEI <c>has0_acc2, has0_f1, non0_acc2, non0_f1, acc5, acc7, mae, corr</c>;
    /// SIMS/SIMS-V2 <c>acc2, acc2_weak, acc3, acc5, f1, mae, corr, r2</c>;
    /// MELD/CHERMA <c>acc, weighted_f1</c> (see <see cref="MetricKeys"/>).
    /// </summary>
    /// <remarks>
    /// Predictions may be any float, as generation produces them: where numpy defines a result for NaN or
    /// infinity it is returned (e.g. MAE = infinity, Corr = NaN); where scikit-learn would refuse, the value is a
    /// wrong class. Undefined statistics are NaN, as in numpy: Corr with a constant side or one sample, R2 with one
    /// sample, Non0 metrics when every truth is 0, acc2_weak when no truth lies in [-0.4, 0.4].
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The lists differ in length or are empty; a truth is not finite; a MELD/CHERMA truth is not an integer.
    /// </exception>
    public static IReadOnlyDictionary<string, double> Compute(
        MetricsTask task, IReadOnlyList<float> truth, IReadOnlyList<float> prediction)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        MetricInputs.RequireSameNonZeroLength(truth.Count, prediction.Count);
        MetricInputs.RequireFiniteTruth(truth);
        return task switch
        {
            MetricsTask.Mosi or MetricsTask.Mosei => SentimentRegressionMetrics.Compute(truth, prediction),
            MetricsTask.Sims or MetricsTask.SimsV2 => SimsRegressionMetrics.Compute(truth, prediction),
            MetricsTask.Meld or MetricsTask.Cherma => EmotionClassificationMetrics.Compute(truth, prediction),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Not a defined MetricsTask value."),
        };
    }

    /// <summary>The validation metric that selects the checkpoint: <c>mae</c> for regression, <c>weighted_f1</c> for MELD/CHERMA.</summary>
    public static string SelectionKey(MetricsTask task) => IsRegression(task) ? MetricKeys.Mae : MetricKeys.WeightedF1;

    /// <summary>True for the regression tasks (MOSI, MOSEI, SIMS, SIMS-V2), whose selection key is minimised.</summary>
    public static bool IsRegression(MetricsTask task) => task switch
    {
        MetricsTask.Mosi or MetricsTask.Mosei or MetricsTask.Sims or MetricsTask.SimsV2 => true,
        MetricsTask.Meld or MetricsTask.Cherma => false,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Not a defined MetricsTask value."),
    };

    /// <summary>
    /// Whether a candidate value of <see cref="SelectionKey"/> beats the best so far by at least
    /// <see cref="SelectionTolerance"/>: lower for MAE, higher for weighted F1. NaN is never better; any number
    /// beats a NaN best (the first epoch starts from NaN or from +/- infinity).
    /// </summary>
    /// <remarks>
    /// MOSI/MOSEI: the reference rounds its MOSEI metrics to 4 decimals before selecting (SIMS and MELD/CHERMA
    /// values are not rounded), so both values are rounded the same way here; see <see cref="SelectionRounding"/>.
    /// </remarks>
    public static bool IsBetter(MetricsTask task, double candidate, double best)
    {
        if (double.IsNaN(candidate))
        {
            return false;
        }

        if (double.IsNaN(best))
        {
            return true;
        }

        candidate = SelectionRounding.Apply(task, candidate);
        best = SelectionRounding.Apply(task, best);
        return IsRegression(task)
            ? candidate <= best - SelectionTolerance
            : candidate >= best + SelectionTolerance;
    }
}
