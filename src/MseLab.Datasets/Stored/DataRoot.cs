using MseLab.Experiments.Sweeps;

namespace MseLab.Datasets.Stored;

/// <summary>A folder holding the paper datasets in the official layout, and where it was given (for errors).</summary>
/// <param name="Path">The absolute path.</param>
/// <param name="Origin">Where it came from: <c>--data-root</c>, <c>data_root in FILE</c>, or <see cref="EnvironmentVariable"/>.</param>
public sealed record DataRoot(string Path, string Origin)
{
    /// <summary>The environment variable naming the data root when nothing closer does.</summary>
    public const string EnvironmentVariable = "MSELAB_DATA_ROOT";

    /// <summary>The command-line option that names it.</summary>
    public const string Option = "--data-root";

    /// <summary>The root a submission uses: <paramref name="option"/> (<c>--data-root</c>), else the sweep's <c>data_root</c>, else <see cref="EnvironmentVariable"/>.</summary>
    public static DataRoot? Resolve(string? option, SweepDefinition? sweep = null) =>
        !string.IsNullOrWhiteSpace(option) ? new(System.IO.Path.GetFullPath(option), Option)
        : sweep?.DataRoot is { } fromFile ? new(fromFile, $"data_root in {sweep.File}")
        : FromEnvironment();

    /// <summary>The root <see cref="EnvironmentVariable"/> names, or null.</summary>
    public static DataRoot? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } root ? new(System.IO.Path.GetFullPath(root), EnvironmentVariable) : null;

    /// <summary>The path, which must be a folder.</summary>
    /// <exception cref="DirectoryNotFoundException">It is not a folder; the message says where it was given.</exception>
    public string RequireFolder() =>
        Directory.Exists(Path) ? Path
        : throw new DirectoryNotFoundException($"The data root {Path} ({Origin}) is not a folder. Give the folder that holds the datasets' official layout (e.g. MOSEI/Processed/unaligned_50.pkl).");
}
