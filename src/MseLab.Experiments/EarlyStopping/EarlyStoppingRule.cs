using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.EarlyStopping;

/// <summary>
/// A sweep's <c>early_stopping</c> section: decisions are taken on a seed group's mean of <see cref="Metric"/> (a
/// validation metric) at the rungs <see cref="GraceEpochs"/> × <see cref="ReductionFactor"/>^k, k = 0, 1, ...
/// </summary>
/// <param name="Method">ASHA or the median rule.</param>
/// <param name="Metric">A validation metric key (<see cref="MetricKeys"/>); its direction comes from <see cref="MetricKeys.LowerIsBetter"/>.</param>
/// <param name="GraceEpochs">The first rung: no group is stopped before it has trained this many epochs.</param>
/// <param name="ReductionFactor">η: the rung spacing, and (ASHA) one in η groups goes on at each rung.</param>
public sealed record EarlyStoppingRule(EarlyStoppingMethod Method, string Metric, int GraceEpochs, int ReductionFactor)
{
    /// <summary>The default first rung (Ray Tune's ASHAScheduler grace_period).</summary>
    public const int DefaultGraceEpochs = 1;

    /// <summary>The default η: Ray Tune's and Li et al.'s default (Determined uses 4, Optuna 4).</summary>
    public const int DefaultReductionFactor = 3;

    /// <summary>The median rule decides only once this many other groups have reached the rung (Optuna's n_startup_trials is 5; seed groups are fewer).</summary>
    public const int MedianMinimumOthers = 2;

    /// <summary>Whether a smaller <see cref="Metric"/> is better.</summary>
    public bool LowerIsBetter => MetricKeys.LowerIsBetter(Metric);

    /// <summary>
    /// Whether <paramref name="epoch"/> is a rung: grace × η^k, below <paramref name="maxEpochs"/> (the last epoch is no
    /// decision: nothing is left to save).
    /// </summary>
    public bool IsRung(int epoch, int? maxEpochs) =>
        epoch >= GraceEpochs && (maxEpochs is not { } max || epoch < max) && Rungs(epoch).Contains(epoch);

    /// <summary>The rungs up to and including <paramref name="upTo"/>, in order.</summary>
    public IReadOnlyList<int> Rungs(int upTo)
    {
        var rungs = new List<int>();
        for (long r = GraceEpochs; r <= upTo; r *= ReductionFactor)
        {
            rungs.Add((int)r);
        }

        return rungs;
    }
}
