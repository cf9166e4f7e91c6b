namespace MseLab.Experiments.Sweeps;

/// <summary>A sampled hyperparameter: <c>{uniform: [lo, hi]}</c>, <c>{loguniform: [lo, hi]}</c> or <c>{choice: [a, b, ...]}</c>.</summary>
public abstract record Distribution
{
    /// <summary>Draws one value.</summary>
    public abstract double Sample(Random random);
}

/// <summary>Uniform on [Low, High).</summary>
public sealed record UniformDistribution(double Low, double High) : Distribution
{
    public override double Sample(Random random) => Low + (random.NextDouble() * (High - Low));
}

/// <summary>Uniform in log space on [Low, High), for learning rates.</summary>
public sealed record LogUniformDistribution(double Low, double High) : Distribution
{
    public override double Sample(Random random) => Math.Exp(Math.Log(Low) + (random.NextDouble() * (Math.Log(High) - Math.Log(Low))));
}

/// <summary>One of the listed values, equally likely.</summary>
public sealed record ChoiceDistribution(IReadOnlyList<double> Values) : Distribution
{
    public override double Sample(Random random) => Values[random.Next(Values.Count)];
}
