using MseLab.Experiments.Sweeps;

namespace MseLab.Experiments.Tests.Sweeps;

public sealed class SweepExpanderTests
{
    private static string Quickstart => Path.Combine(AppContext.BaseDirectory, "experiments", "quickstart.yaml");

    [Fact]
    public void Expand_Quickstart_Gives12TrialsIn4SeedGroups()
    {
        var trials = SweepExpander.Expand(SweepParser.Parse(Quickstart));

        Assert.Equal(12, trials.Count);
        Assert.Equal(12, trials.Select(t => t.Key).Distinct().Count());
        Assert.Equal(4, trials.Select(t => t.SeedGroup).Distinct().Count());
        Assert.All(trials.GroupBy(t => t.SeedGroup), g => Assert.Equal([1111, 2222, 3333], g.Select(t => t.Config.Seed).Order()));
        Assert.Equal([5e-4, 5e-3], trials.Select(t => t.Resolved.LearningRate).Distinct().Order());
        Assert.All(trials, t => Assert.Equal(4, t.Resolved.MaxEpochs));
    }

    [Fact]
    public void Expand_SameFileTwice_GivesTheSameKeys()
    {
        var a = SweepExpander.Expand(SweepParser.Parse(Quickstart)).Select(t => t.Key);
        var b = SweepExpander.Expand(SweepParser.Parse(Quickstart)).Select(t => t.Key);

        Assert.Equal(a, b);
    }

    [Fact]
    public void Expand_EditedSweep_KeepsOldCellsAndAddsOnlyNewOnes()
    {
        var yaml = File.ReadAllText(Quickstart);
        var before = SweepExpander.Expand(SweepParser.Parse(yaml, Quickstart)).Select(t => t.Key).ToHashSet();
        var after = SweepExpander.Expand(SweepParser.Parse(yaml.Replace("lr: [5e-4, 5e-3]", "lr: [5e-4, 5e-3, 1e-2]", StringComparison.Ordinal), Quickstart))
            .Select(t => t.Key).ToHashSet();

        Assert.Subset(after, before);
        Assert.Equal(6, after.Except(before).Count());
    }

    [Fact]
    public void Expand_DefaultsFilledIn_SameCellWrittenTwoWaysHasOneKey()
    {
        // The paper's LLaMA2/MOSEI batch size is 8: writing it explicitly must not create a different trial.
        const string Implicit = "backbones: [tiny]\ndatasets: [synthetic:mosei]\nseeds: [1]\n";
        var a = SweepExpander.Expand(SweepParser.Parse(Implicit, "a.yaml")).Single();
        var b = SweepExpander.Expand(SweepParser.Parse(Implicit + "base: {batch_size: 8}\n", "b.yaml")).Single();

        Assert.Equal(a.Key, b.Key);
    }

    [Fact]
    public void Expand_RandomSamples_AreDeterministicAndInRange()
    {
        const string Yaml = """
            name: search
            backbones: [tiny]
            datasets: [synthetic:mosei]
            seeds: [1, 2]
            grid: {batch_size: [4, 8]}
            random:
              samples: 3
              params:
                lr: {loguniform: [1e-5, 1e-2]}
                warm_up_epochs: {choice: [10, 30]}
            """;

        var a = SweepExpander.Expand(SweepParser.Parse(Yaml, "s.yaml"));
        var b = SweepExpander.Expand(SweepParser.Parse(Yaml, "s.yaml"));

        Assert.Equal(2 * 3 * 2, a.Count);
        Assert.Equal(a.Select(t => t.Key), b.Select(t => t.Key));
        Assert.All(a, t => Assert.InRange(t.Resolved.LearningRate, 1e-5, 1e-2));
        Assert.All(a, t => Assert.Contains(t.Resolved.WarmUpEpochs, new[] { 10, 30 }));
        Assert.True(a.Select(t => t.Resolved.LearningRate).Distinct().Count() > 1);
    }
}
