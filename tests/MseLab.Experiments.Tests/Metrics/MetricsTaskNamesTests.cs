using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class MetricsTaskNamesTests
{
    [Theory]
    [InlineData("mosi", MetricsTask.Mosi)]
    [InlineData("MOSEI", MetricsTask.Mosei)]
    [InlineData("Sims", MetricsTask.Sims)]
    [InlineData("SimsV2", MetricsTask.SimsV2)]
    [InlineData(" meld ", MetricsTask.Meld)]
    [InlineData("cherma", MetricsTask.Cherma)]
    public void Parse_KnownName_IgnoresCase(string name, MetricsTask expected)
    {
        Assert.Equal(expected, MetricsTaskNames.Parse(name));
    }

    [Fact]
    public void Parse_UnknownName_ListsValidNames()
    {
        var error = Assert.Throws<ArgumentException>(() => MetricsTaskNames.Parse("iemocap"));

        Assert.Contains("iemocap", error.Message, StringComparison.Ordinal);
        Assert.Contains("mosi, mosei, sims, simsv2, meld, cherma", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToName_EveryTask_RoundTripsThroughParse()
    {
        foreach (var task in Enum.GetValues<MetricsTask>())
        {
            Assert.Equal(task, MetricsTaskNames.Parse(MetricsTaskNames.ToName(task)));
        }
    }
}
