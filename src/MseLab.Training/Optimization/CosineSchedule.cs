namespace MseLab.Training.Optimization;

/// <summary>
/// transformers' get_cosine_schedule_with_warmup, stepped per batch: linear warm-up over 10 % of the horizon, then
/// 0.5 * (1 + cos(pi * progress)). The horizon is warm_up_epochs x batches per epoch and is NOT clamped: past it the
/// factor rises again, exactly as in the official training (spec 5.1).
/// </summary>
public sealed record CosineSchedule(double BaseLearningRate, long TotalSteps, double WarmupFraction = 0.1)
{
    /// <summary>Warm-up length in steps (fractional, as the official code passes 0.1 x total).</summary>
    public double WarmupSteps => WarmupFraction * TotalSteps;

    /// <summary>Learning rate for the update that follows <paramref name="step"/> earlier scheduler steps.</summary>
    public double LearningRate(long step)
    {
        if (step < WarmupSteps)
        {
            return BaseLearningRate * step / Math.Max(1.0, WarmupSteps);
        }

        var progress = (step - WarmupSteps) / Math.Max(1.0, TotalSteps - WarmupSteps);
        return BaseLearningRate * Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * progress)));
    }
}
