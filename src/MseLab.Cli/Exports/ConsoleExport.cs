using System.Globalization;
using MseLab.Reporting.Exports;
using Spectre.Console;

namespace MseLab.Cli.Exports;

/// <summary>An <see cref="ExportTable"/> as a console table: long values shortened, numbers to 4 decimals, "-" where missing.</summary>
internal static class ConsoleExport
{
    public static Table Table(ExportTable table)
    {
        var view = new Table().Border(TableBorder.Simple);
        foreach (var column in table.Columns)
        {
            view.AddColumn(column is TextColumn ? new TableColumn(Markup.Escape(column.Name)) : new TableColumn(Markup.Escape(column.Name)).RightAligned());
        }

        for (var row = 0; row < table.RowCount; row++)
        {
            var at = row;
            view.AddRow(table.Columns.Select(c => Markup.Escape(c is TextColumn { Display: { } display } text ? display(text.Values[at]) : TextExport.Cell(c, at, Short, missing: "-"))).ToArray());
        }

        return view;
    }

    private static string Short(double value) =>
        Math.Abs(value) is > 0 and < 1e-3 ? value.ToString("0.###e0", CultureInfo.InvariantCulture) : value.ToString("F4", CultureInfo.InvariantCulture);
}
