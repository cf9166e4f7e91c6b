using MseLab.Experiments.Datasets;

namespace MseLab.Reporting.Exports;

/// <summary>How tables on a screen show long configuration values (files always get them whole).</summary>
public static class ValueDisplay
{
    /// <summary>Paths and dataset queries are long: the last path segment, and the dataset without its query or full pin.</summary>
    public static string Shorten(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Contains('/', StringComparison.Ordinal) && !value.Contains(':', StringComparison.Ordinal)
            ? Path.GetFileName(Path.TrimEndingDirectorySeparator(value))
            : value;
        return DatasetRef.Display(trimmed);
    }
}
