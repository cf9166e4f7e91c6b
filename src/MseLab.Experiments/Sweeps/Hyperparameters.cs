using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Sweeps;

/// <summary>The hyperparameter names a sweep may set, and how each lands in a <see cref="TrialConfig"/>.</summary>
public static class Hyperparameters
{
    private static readonly Dictionary<string, (bool Integer, Func<TrialConfig, double, TrialConfig> Apply)> Table = new(StringComparer.Ordinal)
    {
        ["lr"] = (false, (c, v) => c with { LearningRate = v }),
        ["batch_size"] = (true, (c, v) => c with { BatchSize = (int)v }),
        ["eval_batch_size"] = (true, (c, v) => c with { EvalBatchSize = (int)v }),
        ["warm_up_epochs"] = (true, (c, v) => c with { WarmUpEpochs = (int)v }),
        ["early_stop"] = (true, (c, v) => c with { EarlyStop = (int)v }),
        ["max_epochs"] = (true, (c, v) => c with { MaxEpochs = (int)v }),
        ["pseudo_tokens"] = (true, (c, v) => c with { PseudoTokens = (int)v }),
        ["audio_hidden"] = (true, (c, v) => c with { AudioHidden = (int)v }),
        ["video_hidden"] = (true, (c, v) => c with { VideoHidden = (int)v }),
        ["weight_decay"] = (false, (c, v) => c with { WeightDecay = v }),
        ["adam_eps"] = (false, (c, v) => c with { AdamEps = v }),
    };

    public static IReadOnlyCollection<string> Names => Table.Keys;

    public static bool IsKnown(string name) => Table.ContainsKey(name);

    public static bool IsInteger(string name) => Table[name].Integer;

    public static TrialConfig Apply(TrialConfig config, string name, double value) => Table[name].Apply(config, value);
}
