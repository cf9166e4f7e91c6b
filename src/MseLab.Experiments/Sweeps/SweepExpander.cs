using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Sweeps;

/// <summary>
/// Expands a sweep deterministically: backbones x datasets x grid cells (file order, last axis fastest) x random
/// samples (drawn from a generator seeded by the sweep name, so the same file always gives the same draws) x precisions
/// x seeds.
/// </summary>
public static class SweepExpander
{
    public static IReadOnlyList<SweepTrial> Expand(SweepDefinition sweep)
    {
        var cells = GridCells(sweep);
        var random = new Random(StableSeed(sweep.Name));
        var parameterSets = new List<Dictionary<string, double>>();
        foreach (var cell in cells)
        {
            if (sweep.Samples == 0)
            {
                parameterSets.Add(cell);
                continue;
            }

            for (var s = 0; s < sweep.Samples; s++)
            {
                var drawn = new Dictionary<string, double>(cell, StringComparer.Ordinal);
                foreach (var (name, distribution) in sweep.Random)
                {
                    drawn[name] = distribution.Sample(random);
                }

                parameterSets.Add(drawn);
            }
        }

        var trials = new List<SweepTrial>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var backbone in sweep.Backbones)
        {
            var family = backbone.Family;   // read once per backbone, not once per cell
            foreach (var dataset in sweep.Datasets)
            {
                foreach (var parameters in parameterSets)
                {
                    foreach (var precision in sweep.Precisions)
                    {
                        foreach (var seed in sweep.Seeds)
                        {
                            var trial = Trial(sweep, backbone, family, dataset, parameters, precision, seed);
                            if (seen.Add(trial.Key))
                            {
                                trials.Add(trial);   // duplicate cells (e.g. a value listed twice) run once
                            }
                        }
                    }
                }
            }
        }

        return trials;
    }

    private static SweepTrial Trial(SweepDefinition sweep, BackboneRef backbone, BackboneFamily family, DatasetRef dataset, Dictionary<string, double> parameters, TrialPrecision precision, int seed)
    {
        var config = new TrialConfig { Backbone = backbone, Dataset = dataset, Seed = seed, Device = sweep.DeviceKind, Precision = precision };
        foreach (var (name, value) in sweep.Base.Concat(parameters))
        {
            config = Hyperparameters.Apply(config, name, value);
        }

        var resolved = TrialDefaults.Resolve(config, family);
        return new SweepTrial(config, resolved, resolved.Hash(), resolved.SeedGroup());
    }

    private static List<Dictionary<string, double>> GridCells(SweepDefinition sweep)
    {
        var cells = new List<Dictionary<string, double>> { new(StringComparer.Ordinal) };
        foreach (var (name, values) in sweep.Grid)
        {
            cells = cells.SelectMany(cell => values.Select(v => new Dictionary<string, double>(cell, StringComparer.Ordinal) { [name] = v })).ToList();
        }

        return cells;
    }

    private static int StableSeed(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)(hash & 0x7fffffff);
    }
}
