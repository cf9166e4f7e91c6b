using MseLab.Experiments.EarlyStopping;
using MseLab.Experiments.Sweeps;

namespace MseLab.Experiments.Tests.Sweeps;

/// <summary>The <c>early_stopping</c> section: what parses, and errors at FILE:LINE:COLUMN for what does not.</summary>
public sealed class SweepEarlyStoppingTests
{
    private const string Head = """
        name: t
        backbones: [tiny]
        datasets: [synthetic:mosei]
        seeds: [1, 2, 3]

        """;

    private static SweepError Single(string section) =>
        Assert.Single(Assert.Throws<SweepValidationException>(() => SweepParser.Parse(Head + section, "sweep.yaml")).Errors);

    [Fact]
    public void Parse_FullSection_ReadsEveryKey()
    {
        var sweep = SweepParser.Parse(Head + "early_stopping: {method: asha, metric: mae, grace_epochs: 2, reduction_factor: 4}\n", "sweep.yaml");

        Assert.Equal(new EarlyStoppingRule(EarlyStoppingMethod.Asha, "mae", 2, 4), sweep.EarlyStopping);
        Assert.True(sweep.EarlyStopping!.LowerIsBetter);
    }

    [Fact]
    public void Parse_MethodAndMetricOnly_TakesTheDefaultsAndAnyCase()
    {
        var sweep = SweepParser.Parse(Head + "early_stopping:\n  method: Median\n  metric: corr\n", "sweep.yaml");

        Assert.Equal(new EarlyStoppingRule(EarlyStoppingMethod.Median, "corr", EarlyStoppingRule.DefaultGraceEpochs, EarlyStoppingRule.DefaultReductionFactor), sweep.EarlyStopping);
        Assert.False(sweep.EarlyStopping!.LowerIsBetter);
    }

    [Fact]
    public void Parse_NoSection_HasNoRule() => Assert.Null(SweepParser.Parse(Head, "sweep.yaml").EarlyStopping);

    [Theory]
    [InlineData("early_stopping: {method: hyperband, metric: mae}", 5, 26, "method 'hyperband' is not known", "asha or median")]
    [InlineData("early_stopping: {method: asha, metric: mse}", 5, 40, "'mse' is not a known metric", "known: ")]
    [InlineData("early_stopping: {method: asha}", 5, 17, "needs 'metric'", "metric: mae")]
    [InlineData("early_stopping: {metric: mae}", 5, 17, "needs 'method'", "asha or median")]
    [InlineData("early_stopping: {method: asha, metric: mae, grace_epochs: 0}", 5, 59, "'grace_epochs' must be an integer >= 1, not '0'", "first rung")]
    [InlineData("early_stopping: {method: asha, metric: mae, reduction_factor: 1}", 5, 63, "'reduction_factor' must be an integer >= 2, not '1'", "reduction_factor: 3")]
    [InlineData("early_stopping: {method: asha, metric: mae, patience: 3}", 5, 45, "unknown key 'patience' in early_stopping", "grace_epochs")]
    [InlineData("early_stopping: asha", 5, 17, "'early_stopping' must be a mapping", "method: asha")]
    public void Parse_BadSection_NamesThePlaceAndTheFix(string section, int line, int column, string message, string hint)
    {
        var error = Single(section + "\n");

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MetricADatasetDoesNotReport_SaysWhichDatasetAndWhatItReports()
    {
        var yaml = Head.Replace("[synthetic:mosei]", "[synthetic:mosei, synthetic:meld]", StringComparison.Ordinal) + "early_stopping: {method: asha, metric: mae}\n";

        var error = Assert.Single(Assert.Throws<SweepValidationException>(() => SweepParser.Parse(yaml, "sweep.yaml")).Errors);

        Assert.Contains("does not report 'mae'", error.Message, StringComparison.Ordinal);
        Assert.Contains("weighted_f1", error.Hint, StringComparison.Ordinal);
    }
}
