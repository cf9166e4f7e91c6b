using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

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

    /// <summary>Binds and validates the <c>Store</c> section of <paramref name="configuration"/> (for code that has no host).</summary>
    /// <exception cref="OptionsValidationException">Every problem of the section, each naming its key.</exception>
    public static StoreOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new StoreOptions();
        try
        {
            configuration.GetSection(SectionName).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(SectionName, typeof(StoreOptions), [$"{e.Message} Valid providers: sqlite, postgres."]);
        }

        var errors = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true)
            ? options
            : throw new OptionsValidationException(SectionName, typeof(StoreOptions), errors.Select(e => e.ErrorMessage ?? "invalid").ToList());
    }

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
