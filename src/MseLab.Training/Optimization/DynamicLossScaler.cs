using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Training.Optimization;

/// <summary>
/// Dynamic loss scaling as <c>torch.cuda.amp.GradScaler</c> does it, for fp16 training (precision <c>paper</c> on CUDA):
/// the loss is multiplied by <see cref="Scale"/> before backward; <see cref="Unscale"/> divides the gradients by it and
/// reports whether all are finite; a step with an inf/NaN gradient is skipped by the caller and <see cref="Update"/>
/// halves the scale, while <see cref="GrowthInterval"/> finite steps in a row double it. The scale is a float32 value, as
/// GradScaler's <c>_scale</c> tensor.
/// </summary>
public sealed class DynamicLossScaler
{
    /// <summary>GradScaler's <c>init_scale</c>: 2^16.</summary>
    public const float DefaultInitialScale = 65536f;

    /// <summary>GradScaler's <c>growth_factor</c>.</summary>
    public const float DefaultGrowthFactor = 2f;

    /// <summary>GradScaler's <c>backoff_factor</c>.</summary>
    public const float DefaultBackoffFactor = 0.5f;

    /// <summary>GradScaler's <c>growth_interval</c>.</summary>
    public const int DefaultGrowthInterval = 2000;

    public DynamicLossScaler(
        float initialScale = DefaultInitialScale,
        float growthFactor = DefaultGrowthFactor,
        float backoffFactor = DefaultBackoffFactor,
        int growthInterval = DefaultGrowthInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialScale, 0f);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(growthFactor, 1f);
        if (backoffFactor is <= 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "The backoff factor must lie in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(growthInterval, 1);
        (Scale, GrowthFactor, BackoffFactor, GrowthInterval) = (initialScale, growthFactor, backoffFactor, growthInterval);
    }

    /// <summary>The current loss scale.</summary>
    public float Scale { get; private set; }

    /// <summary>Finite steps in a row since the scale last changed (GradScaler's <c>_growth_tracker</c>).</summary>
    public int GrowthTracker { get; private set; }

    public float GrowthFactor { get; }

    public float BackoffFactor { get; }

    public int GrowthInterval { get; }

    /// <summary>Steps skipped so far because a gradient was inf or NaN.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary><paramref name="loss"/> × <see cref="Scale"/> (a new tensor), to call backward on.</summary>
    public Tensor ScaleLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        using var scale = Scale.ToScalar();
        return loss.mul(scale);
    }

    /// <summary>
    /// Multiplies every gradient in place by 1 / <see cref="Scale"/> (computed in double and rounded to float, as
    /// GradScaler does) and returns true when all of them are finite. Parameters without a gradient are skipped.
    /// </summary>
    public bool Unscale(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var noGrad = no_grad();
        using var inverse = ((float)(1.0 / Scale)).ToScalar();
        var finite = true;
        foreach (var parameter in parameters)
        {
            if (parameter.grad is not { } grad)
            {
                continue;
            }

            // Checked before unscaling, as torch's _amp_foreach_non_finite_check_and_unscale_ does.
            using var allFinite = grad.isfinite().all();
            finite &= allFinite.item<bool>();
            grad.mul_(inverse);
        }

        return finite;
    }

    /// <summary>
    /// Ends a step: after an inf/NaN gradient (<paramref name="foundInf"/>, the step skipped) the scale is multiplied
    /// by the backoff factor and the tracker reset; otherwise the tracker counts up and, reaching the growth interval,
    /// the scale grows (if the grown scale is still finite) and the tracker resets.
    /// </summary>
    public void Update(bool foundInf)
    {
        if (foundInf)
        {
            Scale *= BackoffFactor;
            GrowthTracker = 0;
            SkippedSteps++;
            return;
        }

        GrowthTracker++;
        if (GrowthTracker == GrowthInterval)
        {
            var grown = Scale * GrowthFactor;
            if (float.IsFinite(grown))
            {
                Scale = grown;
            }

            GrowthTracker = 0;
        }
    }
}
