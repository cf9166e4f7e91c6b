using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MseLab.Reporting.Exports;

/// <summary>An <see cref="ExportTable"/> as CSV (header row, empty cell for null) or JSON (a list of flat objects); the CLI draws the console table.</summary>
public static class TextExport
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static string Csv(ExportTable table)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", table.Columns.Select(c => Quote(c.Name))));
        for (var row = 0; row < table.RowCount; row++)
        {
            text.AppendLine(string.Join(",", table.Columns.Select(c => Quote(Cell(c, row, number => number.ToString("R", CultureInfo.InvariantCulture))))));
        }

        return text.ToString();
    }

    /// <summary>One object per row, keys in column order; null for a missing or non-finite number (JSON has no NaN).</summary>
    public static string Json(ExportTable table)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartArray();
            for (var row = 0; row < table.RowCount; row++)
            {
                json.WriteStartObject();
                foreach (var column in table.Columns)
                {
                    switch (column)
                    {
                        case TextColumn text:
                            json.WriteString(column.Name, text.Values[row]);
                            break;
                        case IntColumn ints:
                            json.WriteNumber(column.Name, ints.Values[row]);
                            break;
                        case NumberColumn { Values: var values } when values[row] is { } value && double.IsFinite(value):
                            json.WriteNumber(column.Name, value);
                            break;
                        default:
                            json.WriteNull(column.Name);
                            break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One cell as text: text as it is, integers invariant, numbers through <paramref name="number"/>, <paramref name="missing"/> for null.</summary>
    public static string Cell(ExportColumn column, int row, Func<double, string> number, string missing = "") => column switch
    {
        TextColumn text => text.Values[row],
        IntColumn ints => ints.Values[row].ToString(CultureInfo.InvariantCulture),
        NumberColumn numbers => numbers.Values[row] is { } value ? number(value) : missing,
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.GetType().Name, "An export column is text, int or number."),
    };

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
