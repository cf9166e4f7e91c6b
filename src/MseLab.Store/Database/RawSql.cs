using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MseLab.Store.Database;

/// <summary>
/// Interpolated SQL run as a command on the context's connection and transaction: every hole is a parameter, as with
/// EF's <c>ExecuteSqlAsync</c>/<c>SqlQuery</c>, without building and looking up a LINQ query per call (the lifecycle runs
/// the same few statements thousands of times a second; a profile put EF's raw-SQL pipeline at most of their cost).
/// </summary>
/// <remarks>
/// Values are bound as the providers bind them (a UTC <see cref="DateTime"/> is <c>timestamptz</c> on Postgres and
/// EF's own text format on SQLite; null and NaN are NULL), so rows read back through EF are the same.
/// </remarks>
internal static class RawSql
{
    // Composite format ("... {0} ...") -> command text ("... @p0 ..."); the formats are the program's constants.
    private static readonly ConcurrentDictionary<string, string> Texts = new();

    /// <summary>Runs <paramref name="sql"/>; the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this MseLabDbContext db, FormattableString sql, CancellationToken cancellationToken)
    {
        await using var command = await CreateAsync(db, sql, cancellationToken);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="sql"/> and reads each row it returns with <paramref name="read"/>.</summary>
    public static async Task<List<T>> QueryAsync<T>(this MseLabDbContext db, FormattableString sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = await CreateAsync(db, sql, cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The nullable column <paramref name="ordinal"/> of the current row.</summary>
    public static T? Nullable<T>(this DbDataReader reader, int ordinal)
        where T : struct => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    /// <summary>The nullable text column <paramref name="ordinal"/> of the current row.</summary>
    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<DbCommand> CreateAsync(MseLabDbContext db, FormattableString sql, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        var command = Command(connection, Texts.GetOrAdd(sql.Format, CommandText), sql.GetArguments());
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>
    /// A command over <paramref name="commandText"/> (its holes already <c>@p0</c>, <c>@p1</c>, ...: <see cref="CommandText"/>)
    /// with <paramref name="arguments"/> bound in order, NaN as NULL and times as UTC.
    /// </summary>
    internal static DbCommand Command(DbConnection connection, string commandText, IReadOnlyList<object?> arguments)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // The text is the program's own, or built from a closed set of fragments; every value is a parameter.
        command.CommandText = commandText;
#pragma warning restore CA2100
        for (var i = 0; i < arguments.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = Bindable(arguments[i]);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    // One rule for both providers: NaN (an undefined metric or loss) is NULL, as SQLite stores it anyway; times are UTC
    // (SQLite reads them back with no kind; a local time would be shifted by the session's zone on Postgres).
    private static object Bindable(object? value) => value switch
    {
        null => DBNull.Value,
        double d when double.IsNaN(d) => DBNull.Value,
        DateTime { Kind: DateTimeKind.Unspecified } t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateTime { Kind: DateTimeKind.Local } t => t.ToUniversalTime(),
        _ => value,
    };

    // "{0}" -> "@p0", "{{" -> "{", "}}" -> "}" (the statements use no alignment or format specifiers).
    internal static string CommandText(string format)
    {
        var text = new StringBuilder(format.Length);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                text.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = format.IndexOf('}', i);
                text.Append("@p").Append(format, i + 1, end - i - 1);
                i = end;
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
