namespace MseLab.Experiments.EarlyStopping;

/// <summary>How a sweep stops losing configurations across trials (the <c>early_stopping.method</c> key).</summary>
public enum EarlyStoppingMethod
{
    /// <summary>
    /// Asynchronous successive halving (Li et al., MLSys 2020), with Optuna's SuccessiveHalvingPruner promotion test: a seed
    /// group goes on past a rung when its mean is among the best ⌊n/η⌋ (at least the best one) of the n groups that reached
    /// the rung; a group stopped there is promoted later when enough groups arrive behind it.
    /// </summary>
    Asha,

    /// <summary>
    /// The median stopping rule (Optuna's MedianPruner, Vizier's automated stopping): a seed group stops at a rung when its
    /// best mean so far is worse than the median of the other groups' means at that rung. Final: never promoted again.
    /// </summary>
    Median,
}
