namespace MseLab.Store.Queries;

/// <summary>
/// The few SQL forms that differ between SQLite and Postgres: reading a key of the JSON text columns and the dataset's
/// name. The JSON key is always a parameter ({0}-style placeholder from the caller), never spliced in.
/// </summary>
public abstract class FilterDialect
{
    public static readonly FilterDialect Sqlite = new SqliteDialect();

    public static readonly FilterDialect Postgres = new PostgresDialect();

    internal static FilterDialect For(StoreProvider provider) => provider == StoreProvider.Postgres ? Postgres : Sqlite;

    /// <summary>The parameter value that names <paramref name="key"/> of a JSON object.</summary>
    public abstract string JsonKey(string key);

    /// <summary>A text value of <paramref name="column"/>'s JSON object at the key parameter <paramref name="key"/>.</summary>
    public abstract string JsonText(string column, string key);

    /// <summary>A number of <paramref name="column"/>'s JSON object (an undefined metric, stored as "NaN", reads as NULL).</summary>
    public abstract string JsonNumber(string column, string key);

    /// <summary>The dataset without its @pin or ?parameters, lower case (as <see cref="DatasetNames.Of"/>).</summary>
    public abstract string DatasetName(string column);

    private sealed class SqliteDialect : FilterDialect
    {
        public override string JsonKey(string key) => "$." + key;

        public override string JsonText(string column, string key) => $"json_extract({column}, {key})";

        public override string JsonNumber(string column, string key) => $"nullif(json_extract({column}, {key}), 'NaN')";

        public override string DatasetName(string column)
        {
            var beforePin = $"(CASE WHEN instr({column}, '@') > 0 THEN substr({column}, 1, instr({column}, '@') - 1) ELSE {column} END)";
            return $"lower(trim(CASE WHEN instr({beforePin}, '?') > 0 THEN substr({beforePin}, 1, instr({beforePin}, '?') - 1) ELSE {beforePin} END))";
        }
    }

    private sealed class PostgresDialect : FilterDialect
    {
        public override string JsonKey(string key) => key;

        public override string JsonText(string column, string key) => $"({column}::jsonb ->> {key})";

        public override string JsonNumber(string column, string key) =>
            $"nullif(({column}::jsonb ->> {key})::double precision, 'NaN'::double precision)";

        public override string DatasetName(string column) => $"lower(trim(split_part(split_part({column}, '@', 1), '?', 1)))";
    }
}
