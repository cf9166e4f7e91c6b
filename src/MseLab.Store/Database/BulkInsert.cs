using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MseLab.Store.Database;

/// <summary>
/// Inserts many new rows of one entity type in multi-row INSERT statements, prepared once and rebound per chunk (SQL
/// shared by SQLite and Postgres). Tables, columns and value conversions come from the EF model, so the statement follows
/// the entity: a 10000-cell sweep is stored in a fraction of what tracked entities cost.
/// </summary>
internal static class BulkInsert
{
    // SQLite looks parameters up by name: keep statements small.
    private const int RowsPerStatement = 16;

    public static async Task RunAsync<T>(MseLabDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of the results store.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p.PropertyInfo is not null).Select(p => new Column(p, p.GetColumnName(table)!)).ToList();
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        DbCommand? command = null;
        try
        {
            foreach (var chunk in rows.Chunk(RowsPerStatement))
            {
                if (command is null || command.Parameters.Count != chunk.Length * columns.Count)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = Prepare(connection, transaction, table.Name, columns, chunk.Length);
                }

                var p = 0;
                foreach (var row in chunk)
                {
                    foreach (var column in columns)
                    {
                        command.Parameters[p++].Value = column.Value(row) ?? DBNull.Value;
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction? transaction, string table, List<Column> columns, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var tuples = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var names = new string[columns.Count];
            for (var c = 0; c < names.Length; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = names[c] = FormattableString.Invariant($"@p{command.Parameters.Count}");
                command.Parameters.Add(parameter);
            }

            tuples.Add($"({string.Join(", ", names)})");
        }

#pragma warning disable CA2100 // Only the model's table and column names and parameter placeholders are spliced in; every value is a parameter.
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES {string.Join(", ", tuples)}";
#pragma warning restore CA2100
        return command;
    }

    // A property's column, reading the value as EF would write it (enum conversions and the like applied).
    private sealed class Column(IProperty property, string name)
    {
        private readonly IClrPropertyGetter _getter = property.GetGetter();
        private readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? _converter = property.GetTypeMapping().Converter;

        public string Name { get; } = name;

        public object? Value(object row)
        {
            var value = _getter.GetClrValueUsingContainingEntity(row);
            return value is null || _converter is null ? value : _converter.ConvertToProvider(value);
        }
    }
}
