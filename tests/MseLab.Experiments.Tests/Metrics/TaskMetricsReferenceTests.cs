using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

/// <summary>Every metric of every generated dataset against numpy/scikit-learn, to 1e-6.</summary>
public sealed class TaskMetricsReferenceTests(PythonReferenceFixture reference) : IClassFixture<PythonReferenceFixture>
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string> Cases() => ReferenceCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_GeneratedDataset_MatchesNumpyAndSklearn(string caseName)
    {
        var c = ReferenceCases.All.Single(x => x.Name == caseName);

        // Read the CSV the reference read, so both sides see the same floats (and the reader is exercised).
        var set = PredictionCsv.Read(reference.CsvPath(caseName));
        Assert.Equal(c.Truth, set.Truth);
        Assert.Equal(c.Prediction.Select(BitConverter.SingleToInt32Bits), set.Prediction.Select(BitConverter.SingleToInt32Bits));

        var actual = TaskMetrics.Compute(c.Task, set.Truth, set.Prediction);
        var expected = reference.Expected(caseName);

        Assert.Equal(expected.Select(e => e.Key), actual.Keys);
        var mismatches = expected
            .Where(e => !Same(actual[e.Key], e.Value))
            .Select(e => $"{e.Key}: MseLab {actual[e.Key]:R}, reference {e.Value:R}")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{caseName}: {string.Join("; ", mismatches)}");
    }

    private static bool Same(double got, double want) => double.IsNaN(want)
        ? double.IsNaN(got)
        : double.IsInfinity(want) ? got == want : Math.Abs(got - want) <= Tolerance;
}
