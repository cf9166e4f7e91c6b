using Microsoft.Extensions.Configuration;
using MseLab.Store;

namespace MseLab.Cli;

/// <summary>
/// The results store the commands read: <c>.mselab/results.db</c> in the working folder (the one `sweep run` writes),
/// the store named by <c>MSELAB_Store__Provider</c> and <c>MSELAB_Store__ConnectionString</c>, or a cluster profile's store.
/// </summary>
internal static class LocalStore
{
    /// <summary>Opens the embedded store (migrating it) or, with <paramref name="profile"/>, the cluster's store (which must be current).</summary>
    public static async Task<ResultsDatabase> OpenAsync(string? profile, CancellationToken cancellationToken)
    {
        var options = OptionsOf(profile);
        if (profile is null && options.Provider == StoreProvider.Sqlite && options.ConnectionString is null && !File.Exists(StoreOptions.DefaultSqlitePath))
        {
            throw new FileNotFoundException(
                $"No results store in {Path.GetFullPath(StoreOptions.DefaultSqlitePath)}. Run `mselab sweep run FILE` in this folder first (or cd to where you ran it).");
        }

        var database = new ResultsDatabase(options);
        if (profile is null)
        {
            await database.MigrateAsync(cancellationToken);
        }
        else
        {
            await EnsureCurrentAsync(database, profile, cancellationToken);
        }

        return database;
    }

    /// <summary>The <c>Store</c> section of <paramref name="profile"/> (or of the <c>MSELAB_</c> variables without one).</summary>
    public static StoreOptions OptionsOf(string? profile)
    {
        var configuration = profile is null ? new ConfigurationBuilder().AddEnvironmentVariables("MSELAB_").Build() : ClusterProfile.Load(profile);
        return StoreOptions.From(configuration);
    }

    /// <summary>A lab store is migrated by `mselab db migrate` only; anything else stops with that advice.</summary>
    public static async Task EnsureCurrentAsync(ResultsDatabase database, string profile, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> pending;
        try
        {
            pending = await database.PendingMigrationsAsync(cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new ClusterUnavailableException($"The results store at {database.Location} (profile {profile}) cannot be reached: {e.Message}. Is the database server up?", e);
        }

        if (pending.Count > 0)
        {
            throw new ClusterUnavailableException(
                $"The results store at {database.Location} lacks {pending.Count} migration(s) ({string.Join(", ", pending)}). Run `mselab db migrate --cluster {profile}` first.");
        }
    }
}
