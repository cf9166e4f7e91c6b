namespace MseLab.Experiments.Metrics;

/// <summary>
/// The keys of the dictionaries returned by <see cref="TaskMetrics.Compute"/>. Values are fractions (not x100).
/// The MMSA/MSE-Adapter names are given for each key.
/// </summary>
public static class MetricKeys
{
    /// <summary>MOSI/MOSEI <c>Has0_acc_2</c>: binary accuracy with the rule x &gt;= 0, all samples.</summary>
    public const string Has0Acc2 = "has0_acc2";

    /// <summary>MOSI/MOSEI <c>Has0_F1_score</c>: weighted F1 with the rule x &gt;= 0, all samples.</summary>
    public const string Has0F1 = "has0_f1";

    /// <summary>MOSI/MOSEI <c>Non0_acc_2</c>: binary accuracy with the rule x &gt; 0, samples with truth != 0.</summary>
    public const string Non0Acc2 = "non0_acc2";

    /// <summary>MOSI/MOSEI <c>Non0_F1_score</c>: weighted F1 with the rule x &gt; 0, samples with truth != 0.</summary>
    public const string Non0F1 = "non0_f1";

    /// <summary><c>Mult_acc_2</c> (SIMS): accuracy on the bins (-1.01, 0], (0, 1.01].</summary>
    public const string Acc2 = "acc2";

    /// <summary><c>Mult_acc_2_weak</c> (SIMS): <see cref="Acc2"/> on samples whose truth is in [-0.4, 0.4].</summary>
    public const string Acc2Weak = "acc2_weak";

    /// <summary><c>Mult_acc_3</c> (SIMS): accuracy on three bins split at -0.1 and 0.1.</summary>
    public const string Acc3 = "acc3";

    /// <summary><c>Mult_acc_5</c>: MOSI/MOSEI clip to [-2, 2] and round; SIMS five bins split at -0.7, -0.1, 0.1, 0.7.</summary>
    public const string Acc5 = "acc5";

    /// <summary>MOSI/MOSEI <c>Mult_acc_7</c>: clip to [-3, 3], round half to even, compare.</summary>
    public const string Acc7 = "acc7";

    /// <summary>SIMS <c>F1_score</c>: weighted F1 on the <see cref="Acc2"/> bins.</summary>
    public const string F1 = "f1";

    /// <summary><c>MAE</c>: mean absolute error (SIMS: after clipping to [-1, 1]; MOSI/MOSEI: unclipped).</summary>
    public const string Mae = "mae";

    /// <summary><c>Corr</c>: Pearson correlation as <c>np.corrcoef</c>.</summary>
    public const string Corr = "corr";

    /// <summary>SIMS <c>R_squre</c>: <c>sklearn.metrics.r2_score(truth, prediction)</c> after clipping.</summary>
    public const string R2 = "r2";

    /// <summary>MELD/CHERMA <c>acc</c>: <c>sklearn.metrics.accuracy_score</c>.</summary>
    public const string Acc = "acc";

    /// <summary>MELD/CHERMA <c>weight_F1</c>: <c>sklearn.metrics.f1_score(average='weighted')</c>.</summary>
    public const string WeightedF1 = "weighted_f1";

    /// <summary>
    /// Whether a smaller value of <paramref name="key"/> is better: true for the errors (<see cref="Mae"/>), false for the
    /// accuracies, F1 scores, correlation and R² (the rest). What <c>--best</c> ranks by.
    /// </summary>
    public static bool LowerIsBetter(string key) => string.Equals(key, Mae, StringComparison.OrdinalIgnoreCase);

    private static readonly string[] SentimentKeys = [Has0Acc2, Has0F1, Non0Acc2, Non0F1, Acc5, Acc7, Mae, Corr];
    private static readonly string[] SimsKeys = [Acc2, Acc2Weak, Acc3, Acc5, F1, Mae, Corr, R2];
    private static readonly string[] EmotionKeys = [Acc, WeightedF1];

    /// <summary>
    /// The keys <see cref="TaskMetrics.Compute"/> returns for <paramref name="task"/>, in its order (the paper's order of the
    /// MMSA/MSE-Adapter metrics).
    /// </summary>
    public static IReadOnlyList<string> For(MetricsTask task) => task switch
    {
        MetricsTask.Mosi or MetricsTask.Mosei => SentimentKeys,
        MetricsTask.Sims or MetricsTask.SimsV2 => SimsKeys,
        MetricsTask.Meld or MetricsTask.Cherma => EmotionKeys,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Not a defined MetricsTask value."),
    };
}
