using MseLab.Models.Adapter;
using MseLab.Training.Data;

namespace MseLab.Training.Trials;

/// <summary>Fills the hyperparameters a trial config leaves open with the paper's values (spec 5.2) for its backbone family and dataset.</summary>
public static class TrialDefaults
{
    /// <summary>Resolves <paramref name="config"/> against the preset of <paramref name="paperBackbone"/> on <paramref name="shape"/>'s dataset.</summary>
    public static ResolvedTrial Resolve(TrialConfig config, string paperBackbone, DatasetShape shape)
    {
        var preset = PaperPresets.Get(paperBackbone, shape.Name);
        var batch = config.BatchSize ?? preset.BatchSize;
        var resolved = new ResolvedTrial(
            Backbone: Path.GetFullPath(config.Backbone),
            BackboneFamily: paperBackbone,
            Dataset: config.Dataset,
            Task: shape.MetricsTask,
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
            WeightDecay: config.WeightDecay);
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
