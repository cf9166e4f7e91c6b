using System.Globalization;

namespace MseLab.Training.Data.Synthetic;

/// <summary>
/// A synthetic dataset request: <c>synthetic:NAME[?train=N&amp;valid=N&amp;test=N&amp;seed=N]</c> where NAME is a paper
/// dataset (mosei, simsv2, meld, cherma) whose exact shapes the data takes. The data seed is separate from the trial
/// seed, so the seeds of one configuration train on the same data.
/// </summary>
public sealed record SyntheticSpec(DatasetShape Shape, int Train = 480, int Valid = 96, int Test = 160, int Seed = 0)
{
    public const string Prefix = "synthetic:";

    /// <summary>Whether <paramref name="dataset"/> names synthetic data.</summary>
    public static bool IsSynthetic(string dataset) => dataset.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a dataset option; errors name the option and list what is valid.</summary>
    public static SyntheticSpec Parse(string dataset)
    {
        if (!IsSynthetic(dataset))
        {
            throw new ArgumentException($"Dataset '{dataset}' is not synthetic: use synthetic:mosei or synthetic:meld (also simsv2, cherma).");
        }

        var body = dataset[Prefix.Length..];
        var query = "";
        var q = body.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = body[(q + 1)..];
            body = body[..q];
        }

        var spec = new SyntheticSpec(DatasetShape.ByName(body));
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                throw new ArgumentException($"Dataset '{dataset}': '{pair}' must be key=non-negative integer (train, valid, test, seed).");
            }

            spec = parts[0] switch
            {
                "train" => spec with { Train = value },
                "valid" => spec with { Valid = value },
                "test" => spec with { Test = value },
                "seed" => spec with { Seed = value },
                _ => throw new ArgumentException($"Dataset '{dataset}': unknown parameter '{parts[0]}' (use train, valid, test, seed)."),
            };
        }

        if (spec.Train < 1 || spec.Valid < 1 || spec.Test < 1)
        {
            throw new ArgumentException($"Dataset '{dataset}': every split needs at least one sample.");
        }

        return spec;
    }
}
