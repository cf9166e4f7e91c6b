namespace MseLab.Reporting.Exports;

/// <summary>One typed column of an export: its type decides the Parquet physical type and how CSV and JSON print it.</summary>
public abstract record ExportColumn(string Name)
{
    /// <summary>How many values the column holds.</summary>
    public abstract int Count { get; }
}

/// <summary>A required UTF-8 string column (configuration: sweep, key, backbone, dataset, group-by fields).</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Values">One value per row.</param>
/// <param name="Display">How the console table shows a value (files always get it whole); null: as it is.</param>
public sealed record TextColumn(string Name, IReadOnlyList<string> Values, Func<string, string>? Display = null) : ExportColumn(Name)
{
    public override int Count => Values.Count;
}

/// <summary>A required 32-bit integer column (seed, epoch, n).</summary>
public sealed record IntColumn(string Name, IReadOnlyList<int> Values) : ExportColumn(Name)
{
    public override int Count => Values.Count;
}

/// <summary>An optional double column (metrics, losses, rates): null where the row has no such value.</summary>
public sealed record NumberColumn(string Name, IReadOnlyList<double?> Values) : ExportColumn(Name)
{
    public override int Count => Values.Count;
}
