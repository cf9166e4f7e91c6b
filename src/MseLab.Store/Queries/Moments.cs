using MseLab.Store.Records;

namespace MseLab.Store.Queries;

/// <summary>Count, mean and sum of squared deviations of a metric's finite values.</summary>
internal readonly record struct Moments(long N, double Mean, double M2)
{
    // Chan, Golub and LeVeque's pairwise update: exact for the merged set, no cancellation.
    public static Moments Combine(Moments a, Moments b)
    {
        if (a.N == 0 || b.N == 0)
        {
            return a.N == 0 ? b : a;
        }

        var n = a.N + b.N;
        var delta = b.Mean - a.Mean;
        return new Moments(n, a.Mean + (delta * b.N / n), a.M2 + b.M2 + (delta * delta * a.N * b.N / n));
    }

    public MetricSummary Summary() => N == 0 ? new MetricSummary(double.NaN, null) : new MetricSummary(Mean, N < 2 ? null : Math.Sqrt(M2 / (N - 1)));
}
