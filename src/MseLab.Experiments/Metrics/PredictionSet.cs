namespace MseLab.Experiments.Metrics;

/// <summary>Aligned truths and predictions for one split, one pair per sample.</summary>
/// <param name="Truth">Dataset labels (float32, as the reference stores them).</param>
/// <param name="Prediction">Parsed model outputs (float32).</param>
public sealed record PredictionSet(IReadOnlyList<float> Truth, IReadOnlyList<float> Prediction);
