using Microsoft.Extensions.Configuration;
using MseLab.Data;

namespace MseLab.Cli;

/// <summary>
/// The results store the commands read: <c>.mselab/results.db</c> in the working folder (the one `sweep run` writes),
/// or the store named by <c>MSELAB_Store__Provider</c> and <c>MSELAB_Store__ConnectionString</c>.
/// </summary>
internal static class LocalStore
{
    public static async Task<ResultsStore> OpenAsync(CancellationToken cancellationToken)
    {
        var options = new ConfigurationBuilder().AddEnvironmentVariables("MSELAB_").Build()
            .GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();
        if (options.Provider == "sqlite" && options.ConnectionString is null && !File.Exists(StoreOptions.DefaultSqlitePath))
        {
            throw new FileNotFoundException(
                $"No results store in {Path.GetFullPath(StoreOptions.DefaultSqlitePath)}. Run `mselab sweep run FILE` in this folder first (or cd to where you ran it).");
        }

        var database = new ResultsDatabase(options);
        await database.MigrateAsync(cancellationToken);
        return new ResultsStore(database, TimeProvider.System);
    }
}
