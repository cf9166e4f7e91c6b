using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

/// <summary>One generated dataset compared against the numpy/scikit-learn reference.</summary>
public sealed record ReferenceCase(string Name, MetricsTask Task, float[] Truth, float[] Prediction);
