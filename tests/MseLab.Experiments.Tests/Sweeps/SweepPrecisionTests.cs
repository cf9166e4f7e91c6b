using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Tests.Sweeps;

public sealed class SweepPrecisionTests
{
    private const string Valid = """
        name: t
        backbones: [tiny]
        datasets: [synthetic:mosei]
        seeds: [1, 2]
        """;

    private static SweepDefinition Parse(string yaml) => SweepParser.Parse(yaml, "sweep.yaml");

    [Fact]
    public void Parse_NoPrecision_RunsFp32Only()
    {
        var trials = SweepExpander.Expand(Parse(Valid));

        Assert.Equal([TrialPrecision.Fp32], Parse(Valid).Precisions);
        Assert.All(trials, t => Assert.Equal(TrialPrecision.Fp32, t.Resolved.Precision));
    }

    [Fact]
    public void Parse_PaperPrecision_ReachesEveryTrialAndItsKey()
    {
        var fp32 = SweepExpander.Expand(Parse(Valid));
        var paper = SweepExpander.Expand(Parse(Valid + "\nprecision: paper"));

        Assert.All(paper, t => Assert.Equal(TrialPrecision.Paper, t.Config.Precision));
        Assert.Empty(fp32.Select(t => t.Key).Intersect(paper.Select(t => t.Key)));
        Assert.Empty(fp32.Select(t => t.SeedGroup).Intersect(paper.Select(t => t.SeedGroup)));
    }

    [Fact]
    public void Parse_PrecisionList_IsAnAxisBeforeSeeds()
    {
        var trials = SweepExpander.Expand(Parse(Valid + "\nprecision: [fp32, paper]"));

        Assert.Equal(
            [(TrialPrecision.Fp32, 1), (TrialPrecision.Fp32, 2), (TrialPrecision.Paper, 1), (TrialPrecision.Paper, 2)],
            trials.Select(t => (t.Resolved.Precision, t.Resolved.Seed)));
        Assert.Equal(4, trials.Select(t => t.Key).Distinct().Count());
        Assert.Equal(2, trials.Select(t => t.SeedGroup).Distinct().Count());
    }

    [Theory]
    [InlineData("precision: fp16\n", 5, 12, "precision 'fp16' is not known")]
    [InlineData("precision: [fp32, bf16]\n", 5, 19, "precision 'bf16' is not known")]
    [InlineData("precision: []\n", 5, 12, "'precision' is empty")]
    [InlineData("precision: {paper: 1}\n", 5, 12, "must be a name or a list")]
    public void Parse_BadPrecision_ReportsFileLineColumnAndTheNames(string line, int row, int column, string message)
    {
        var error = Assert.Throws<SweepValidationException>(() => Parse(Valid + "\n" + line)).Errors.Single();

        Assert.StartsWith($"sweep.yaml:{row}:{column}:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("paper", error.Hint, StringComparison.Ordinal);
    }
}
