using MseLab.Experiments.Backbones;
using MseLab.Experiments.Sweeps;

namespace MseLab.Experiments.Tests.Sweeps;

public sealed class SweepParserTests
{
    private const string Valid = """
        name: t
        backbones: [tiny]
        datasets: [synthetic:mosei]
        seeds: [1]
        """;

    private static SweepValidationException Invalid(string yaml) =>
        Assert.Throws<SweepValidationException>(() => SweepParser.Parse(yaml, "sweep.yaml"));

    [Fact]
    public void Parse_Quickstart_IsValid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "experiments", "quickstart.yaml");

        var sweep = SweepParser.Parse(path);

        Assert.Equal("quickstart", sweep.Name);
        Assert.Equal([PresetBackbone.Tiny], sweep.Backbones);
        Assert.Equal(2, sweep.Datasets.Count);
        Assert.Equal([1111, 2222, 3333], sweep.Seeds);
    }

    [Fact]
    public void Parse_UnknownKey_ReportsLineColumnAndAllowedKeys()
    {
        var error = Invalid(Valid + "\nlearning_rate: 3\n").Errors.Single();

        Assert.Equal((5, 1), (error.Line, error.Column));
        Assert.Contains("unknown key 'learning_rate'", error.Message, StringComparison.Ordinal);
        Assert.Contains("grid", error.Hint, StringComparison.Ordinal);
        Assert.StartsWith("sweep.yaml:5:1:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyErrors_AreAllReportedAtOnce()
    {
        var errors = Invalid("""
            backbones: [no/such/model]
            datasets: [synthetic:nope]
            seeds: [one]
            grid:
              lr: []
              batch_size: [2.5]
              dropout: [0.1]
            retries: -1
            """).Errors;

        Assert.Contains(errors, e => e.Line == 1 && e.Message.Contains("not a model folder", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 2 && e.Message.Contains("Unknown dataset", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 3 && e.Message.Contains("'seeds' must be an integer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 5 && e.Message.Contains("non-empty list", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 6 && e.Message.Contains("positive integer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 7 && e.Message.Contains("unknown hyperparameter 'dropout'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 8 && e.Message.Contains("'retries' must be an integer", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingAndEmptyAxes_AreErrors()
    {
        var errors = Invalid("backbones: [tiny]\ndatasets: []\n").Errors;

        Assert.Contains(errors, e => e.Message == "'datasets' is empty");
        Assert.Contains(errors, e => e.Message == "'seeds' is missing");
    }

    [Theory]
    [InlineData("random: {samples: 2, params: {lr: {gaussian: [0, 1]}}}", "unknown distribution 'gaussian'")]
    [InlineData("random: {samples: 2, params: {lr: {uniform: [0.1, 0.01]}}}", "low < high")]
    [InlineData("random: {samples: 2, params: {batch_size: {uniform: [2, 8]}}}", "sample it with choice")]
    [InlineData("random: {params: {lr: {choice: [0.1]}}}", "'samples' >= 1")]
    [InlineData("resources: {device: tpu}", "device kind 'tpu'")]
    [InlineData("grid: [1, 2]", "'grid' must be a mapping")]
    [InlineData("seeds: [1", "not valid YAML")]
    public void Parse_WrongShapes_ExplainTheFix(string extra, string expected)
    {
        var errors = Invalid(Valid.Replace("seeds: [1]", "", StringComparison.Ordinal) + "\n" + (extra.StartsWith("seeds", StringComparison.Ordinal) ? extra : "seeds: [1]\n" + extra)).Errors;

        Assert.Contains(errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingFile_NamesIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SweepParser.Parse("/nonexistent/sweep.yaml"));

        Assert.Contains("/nonexistent/sweep.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnclosedBracket_IsAPositionedErrorNotACrash()
    {
        var error = Invalid("name: x\nbackbones: [tiny\ndatasets: [synthetic:mosei]\nseeds: [1]\n").Errors.Single();

        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 1 && error.Column >= 1, error.ToString());
    }

    [Fact]
    public void Parse_FolderOfAnUnsupportedFamily_ReportedAtTheBackbone()
    {
        using var folder = new ModelFolder("gpt2");

        var error = Invalid($"backbones: [tiny, '{folder.Path}']\ndatasets: [synthetic:mosei]\nseeds: [1]\n").Errors.Single();

        Assert.Equal((1, 19), (error.Line, error.Column));
        Assert.Contains("not a supported backbone family", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qwen")]
    [InlineData("chatglm")]
    [InlineData("llama")]
    public void Parse_FolderOfEachPaperFamily_IsAccepted(string modelType)
    {
        using var folder = new ModelFolder(modelType);

        var sweep = SweepParser.Parse($"backbones: ['{folder.Path}']\ndatasets: [synthetic:mosei]\nseeds: [1]\n", "sweep.yaml");

        Assert.Equal(Path.GetFullPath(folder.Path), Assert.Single(sweep.Backbones).ToString());
    }

}
