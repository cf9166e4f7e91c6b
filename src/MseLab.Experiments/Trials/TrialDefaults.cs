using MseLab.Experiments.Backbones;
using MseLab.Experiments.Presets;

namespace MseLab.Experiments.Trials;

/// <summary>Fills the hyperparameters a trial config leaves open with the paper's values (spec 5.2) for its backbone family and dataset.</summary>
public static class TrialDefaults
{
    /// <summary>Resolves <paramref name="config"/>; the backbone's family is read from its preset or config.json.</summary>
    /// <exception cref="ArgumentException">A hyperparameter out of range (every one is named).</exception>
    public static ResolvedTrial Resolve(TrialConfig config) => Resolve(config, config.Backbone.Family);

    /// <summary>Resolves <paramref name="config"/> for a backbone of <paramref name="family"/> (known already: no disk read).</summary>
    /// <exception cref="ArgumentException">A hyperparameter out of range (every one is named).</exception>
    public static ResolvedTrial Resolve(TrialConfig config, BackboneFamily family)
    {
        ArgumentNullException.ThrowIfNull(config);
        var preset = PaperPresets.Get(family, config.Dataset.Paper);
        var batch = config.BatchSize ?? preset.BatchSize;
        var resolved = new ResolvedTrial(
            Backbone: config.Backbone,
            Family: family,
            Dataset: config.Dataset,
            Task: config.Dataset.Info.Metrics,
            Seed: config.Seed,
            Device: config.Device,
            BatchSize: batch,
            EvalBatchSize: config.EvalBatchSize ?? batch,
            LearningRate: config.LearningRate ?? preset.LearningRate,
            WarmUpEpochs: config.WarmUpEpochs ?? preset.WarmUpEpochs,
            EarlyStop: config.EarlyStop ?? preset.EarlyStop,
            PseudoTokens: config.PseudoTokens ?? preset.Adapter.PseudoTokens,
            AudioHidden: config.AudioHidden ?? preset.Adapter.AudioHidden,
            VideoHidden: config.VideoHidden ?? preset.Adapter.VideoHidden,
            TextLength: preset.TextLength,
            MaxNewTokens: preset.MaxNewTokens,
            MaxEpochs: config.MaxEpochs,
            AdamEps: config.AdamEps,
            WeightDecay: config.WeightDecay,
            Precision: config.Precision);
        Validate(resolved);
        return resolved;
    }

    private static void Validate(ResolvedTrial trial)
    {
        var errors = new List<string>();
        if (trial.BatchSize < 1) { errors.Add($"batch size {trial.BatchSize} must be at least 1"); }
        if (trial.EvalBatchSize < 1) { errors.Add($"eval batch size {trial.EvalBatchSize} must be at least 1"); }
        if (!(trial.LearningRate > 0) || !double.IsFinite(trial.LearningRate)) { errors.Add($"learning rate {trial.LearningRate} must be a positive number"); }
        if (trial.WarmUpEpochs < 1) { errors.Add($"warm_up_epochs {trial.WarmUpEpochs} must be at least 1"); }
        if (trial.EarlyStop < 1) { errors.Add($"early_stop {trial.EarlyStop} must be at least 1"); }
        if (trial.PseudoTokens < 1) { errors.Add($"pseudo tokens {trial.PseudoTokens} must be at least 1"); }
        if (trial.AudioHidden < 1 || trial.VideoHidden < 1) { errors.Add("LSTM hidden sizes must be at least 1"); }
        if (trial.MaxEpochs is < 1) { errors.Add($"max epochs {trial.MaxEpochs} must be at least 1 (or unset)"); }
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid trial configuration ({trial.Dataset}, seed {trial.Seed}): {string.Join("; ", errors)}.");
        }
    }
}
