namespace MseLab.Experiments.Metrics;

/// <summary>The command-line names of <see cref="MetricsTask"/> values (mosi, mosei, sims, simsv2, meld, cherma).</summary>
public static class MetricsTaskNames
{
    private static readonly (string Name, MetricsTask Task)[] Table =
    [
        ("mosi", MetricsTask.Mosi),
        ("mosei", MetricsTask.Mosei),
        ("sims", MetricsTask.Sims),
        ("simsv2", MetricsTask.SimsV2),
        ("meld", MetricsTask.Meld),
        ("cherma", MetricsTask.Cherma),
    ];

    /// <summary>All valid names, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Table.Select(entry => entry.Name)];

    /// <summary>Parses a CLI name, ignoring case and surrounding white space.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="All"/>.</exception>
    public static MetricsTask Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        foreach (var (candidate, task) in Table)
        {
            if (string.Equals(candidate, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return task;
            }
        }

        throw new ArgumentException($"Unknown task '{name}'. Valid tasks: {string.Join(", ", All)}.", nameof(name));
    }

    /// <summary>The CLI name of a task (lower case).</summary>
    public static string ToName(MetricsTask task)
    {
        foreach (var (candidate, value) in Table)
        {
            if (value == task)
            {
                return candidate;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(task), task, "Not a defined MetricsTask value.");
    }
}
