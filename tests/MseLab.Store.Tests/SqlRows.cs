using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace MseLab.Store.Tests;

/// <summary>Rows of a raw SQL query, as a psql or pandas user would run it: column name to value (null for SQL NULL).</summary>
internal static class SqlRows
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<List<Dictionary<string, object?>>> ReadAsync(ResultsDatabase database, string sql)
    {
        await using var db = database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The tests' own constant queries.
        command.CommandText = sql;
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i), StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>A number column (SQLite gives long or double, Postgres int, long or double), or null.</summary>
    public static double? Number(this Dictionary<string, object?> row, string column) =>
        Value(row, column) is { } value ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : null;

    public static string? Text(this Dictionary<string, object?> row, string column) => (string?)Value(row, column);

    /// <summary>A timestamp column: Postgres gives a UTC <see cref="DateTime"/>, SQLite EF's text form.</summary>
    public static DateTime? Time(this Dictionary<string, object?> row, string column) => Value(row, column) switch
    {
        null => null,
        DateTime time => time,
        string text => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        var other => throw new InvalidCastException($"{column} is a {other.GetType().Name}, not a timestamp."),
    };

    private static object? Value(Dictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var value) ? value : throw new KeyNotFoundException($"No column {column}; the row has {string.Join(", ", row.Keys)}.");
}
