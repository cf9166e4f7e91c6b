namespace MseLab.Reporting.Exports;

/// <summary>A rectangular, typed table for <c>--format csv|json|parquet</c> and <c>--out</c>: every column has one value per row.</summary>
public sealed record ExportTable
{
    public ExportTable(IReadOnlyList<ExportColumn> columns, int rowCount)
    {
        var ragged = columns.FirstOrDefault(c => c.Count != rowCount);
        if (ragged is not null)
        {
            throw new ArgumentException($"Export column '{ragged.Name}' has {ragged.Count} values for {rowCount} rows: every column needs one value per row.", nameof(columns));
        }

        Columns = columns;
        RowCount = rowCount;
    }

    public IReadOnlyList<ExportColumn> Columns { get; }

    public int RowCount { get; }
}
