namespace MseLab.Experiments.Trials;

/// <summary>The names of <see cref="TrialPrecision"/> values in sweep files, JSON and identities: <c>fp32</c> and <c>paper</c>.</summary>
public static class TrialPrecisionNames
{
    private static readonly (string Name, TrialPrecision Precision)[] Table =
    [
        ("fp32", TrialPrecision.Fp32),
        ("paper", TrialPrecision.Paper),
    ];

    /// <summary>All valid names, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Table.Select(entry => entry.Name)];

    /// <summary>Parses a name (exact, lower case); false for anything else.</summary>
    public static bool TryParse(string? name, out TrialPrecision precision)
    {
        foreach (var (candidate, value) in Table)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                precision = value;
                return true;
            }
        }

        precision = default;
        return false;
    }

    /// <summary>The name of <paramref name="precision"/>.</summary>
    public static string ToName(TrialPrecision precision)
    {
        foreach (var (candidate, value) in Table)
        {
            if (value == precision)
            {
                return candidate;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(precision), precision, "Not a defined TrialPrecision value.");
    }
}
