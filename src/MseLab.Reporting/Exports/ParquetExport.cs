using Parquet;
using Parquet.Schema;

namespace MseLab.Reporting.Exports;

/// <summary>
/// Writes an <see cref="ExportTable"/> as one Parquet row group (Parquet.Net): strings as required UTF-8 byte arrays,
/// integers as required INT32, numbers as optional DOUBLE (null where a row has no such metric).
/// </summary>
public static class ParquetExport
{
    public static async Task WriteAsync(ExportTable table, Stream stream, CancellationToken cancellationToken)
    {
        var fields = table.Columns.Select(Field).ToList();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: cancellationToken);
        using var group = writer.CreateRowGroup();
        for (var i = 0; i < fields.Count; i++)
        {
            switch (table.Columns[i])
            {
                case TextColumn text:
                    await group.WriteAsync(fields[i], text.Values.ToArray(), null);
                    break;
                case IntColumn ints:
                    await group.WriteAsync<int>(fields[i], ints.Values.ToArray(), cancellationToken: cancellationToken);
                    break;
                case NumberColumn numbers:
                    await group.WriteAsync<double>(fields[i], numbers.Values.ToArray(), cancellationToken: cancellationToken);
                    break;
            }
        }
    }

    private static DataField Field(ExportColumn column) => column switch
    {
        TextColumn => new DataField<string>(column.Name, nullable: false),
        IntColumn => new DataField<int>(column.Name, nullable: false),
        NumberColumn => new DataField<double?>(column.Name, nullable: true),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.GetType().Name, "An export column is text, int or number."),
    };
}
