using System.ComponentModel.DataAnnotations;

namespace MseLab.Store;

/// <summary>Which database holds the results. Bound from the <c>Store</c> configuration section and validated at start.</summary>
public sealed class StoreOptions : IValidatableObject
{
    public const string SectionName = "Store";

    /// <summary>Default embedded store, relative to the working folder, so that every command run there finds it.</summary>
    public const string DefaultSqlitePath = ".mselab/results.db";

    /// <summary><see cref="StoreProvider.Sqlite"/> (embedded, the default) or <see cref="StoreProvider.Postgres"/> (lab cluster).</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>ADO.NET connection string; for SQLite it defaults to <see cref="DefaultSqlitePath"/>.</summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == StoreProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(ConnectionString)} is empty; the postgres store needs one (e.g. Host=localhost;Database=mselab;Username=mselab).",
                [nameof(ConnectionString)]);
        }
    }
}

/// <summary>The database behind the results store.</summary>
public enum StoreProvider
{
    /// <summary>One SQLite file: the embedded default.</summary>
    Sqlite,

    /// <summary>PostgreSQL: the lab cluster's shared store.</summary>
    Postgres,
}
