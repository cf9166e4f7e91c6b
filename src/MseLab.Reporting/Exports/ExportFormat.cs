namespace MseLab.Reporting.Exports;

/// <summary>The file formats of a results export (<c>mselab results --format X --out F</c>, <c>GET /api/results/download?format=X</c>).</summary>
public enum ExportFormat
{
    /// <summary>Comma-separated, a header row, empty cells for missing values.</summary>
    Csv,

    /// <summary>Indented JSON: a list of objects.</summary>
    Json,

    /// <summary>Parquet with typed columns (strings, int32, optional doubles).</summary>
    Parquet,
}
