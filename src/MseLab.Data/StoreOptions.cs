namespace MseLab.Data;

/// <summary>Which database holds the results. Bound from the <c>Store</c> configuration section.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>Default embedded store, relative to the working folder, so that every command run there finds it.</summary>
    public const string DefaultSqlitePath = ".mselab/results.db";

    /// <summary><c>sqlite</c> (embedded, default) or <c>postgres</c> (lab cluster).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string; for SQLite it defaults to <see cref="DefaultSqlitePath"/>.</summary>
    public string? ConnectionString { get; set; }
}
