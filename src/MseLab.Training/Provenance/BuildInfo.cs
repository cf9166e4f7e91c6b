using System.Reflection;

namespace MseLab.Training.Provenance;

/// <summary>The commit this build was made from, and whether tracked files differed from it then (stamped by the build).</summary>
public static class BuildInfo
{
    private static readonly Dictionary<string, string?> Metadata = typeof(BuildInfo).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    /// <summary>The git commit, or null when the build was made outside a git checkout.</summary>
    public static string? Commit => Metadata.GetValueOrDefault("GitCommit") is { } commit && commit != "unknown" ? commit : null;

    /// <summary>Whether tracked files had changes that were not committed.</summary>
    public static bool Dirty => string.Equals(Metadata.GetValueOrDefault("GitDirty"), "true", StringComparison.OrdinalIgnoreCase);
}
