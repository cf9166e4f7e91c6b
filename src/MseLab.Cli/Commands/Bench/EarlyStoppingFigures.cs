namespace MseLab.Cli.Commands.Bench;

/// <summary>Both runs of <c>mselab bench early-stopping</c>.</summary>
internal sealed record EarlyStoppingFigures(EarlyStoppingBench.Plan Plan, RunFigures Full, RunFigures Asha)
{
    public bool SameBest => Full.Best is { } f && Asha.Best is { } a && f.Config == a.Config;

    public double EpochRatio => Full.Epochs == 0 ? 0 : (double)Asha.Epochs / Full.Epochs;

    /// <summary>The <c>--json</c> object: the four figures the issue asks for first, then the detail.</summary>
    public Dictionary<string, object?> Json() => new()
    {
        ["full_best"] = Best(Full.Best),
        ["asha_best"] = Best(Asha.Best),
        ["epochs_full"] = Full.Epochs,
        ["epochs_asha"] = Asha.Epochs,
        ["same_best"] = SameBest,
        ["epoch_ratio"] = Math.Round(EpochRatio, 3),
        ["configurations"] = Plan.Configurations,
        ["seeds"] = Plan.Seeds,
        ["max_epochs"] = Plan.MaxEpochs,
        ["grace_epochs"] = Plan.GraceEpochs,
        ["reduction_factor"] = Plan.ReductionFactor,
        ["pruned_cells_asha"] = Asha.PrunedCells,
        ["pruned_attempts_asha"] = Asha.PrunedAttempts,
        ["failed_cells"] = Full.FailedCells + Asha.FailedCells,
        ["seconds_full"] = Math.Round(Full.Seconds, 1),
        ["seconds_asha"] = Math.Round(Asha.Seconds, 1),
    };

    private static Dictionary<string, object>? Best(BestGroup? best) => best is null
        ? null
        : new() { ["config"] = best.Config, ["metric"] = EarlyStoppingBench.Metric, ["mean"] = Math.Round(best.Mean, 5), ["seeds"] = best.Seeds };
}
