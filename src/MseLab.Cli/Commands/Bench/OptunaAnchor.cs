using System.Diagnostics;
using System.Text.Json;
using Npgsql;

using static System.FormattableString;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// Optuna on the same machine, in the same run: no-op trials through its study storage (<c>bench/optuna_dispatch.py</c>
/// on Debian's python3-optuna), the anchor every dispatch figure is stated against.
/// </summary>
internal static class OptunaAnchor
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Optuna with a SQLite file in <paramref name="folder"/>, one process (as the embedded default is one process).</summary>
    public static Task<OptunaFigures> RunOnSqliteAsync(string folder, int trials, CancellationToken cancellationToken) =>
        RunAsync($"sqlite:///{Path.Combine(folder, "optuna.db")}", trials, workers: 1, cancellationToken);

    /// <summary>
    /// Optuna with <paramref name="workers"/> processes on one study in a scratch database of the Postgres server that
    /// <paramref name="connectionString"/> names (created and dropped here; Optuna's tables would collide with the store's).
    /// </summary>
    public static async Task<OptunaFigures> RunOnPostgresAsync(string connectionString, int trials, int workers, CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        var scratch = $"mselab_optuna_{DateTime.UtcNow:HHmmssfff}";
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE {scratch}", cancellationToken);
        try
        {
            var url = $"postgresql+psycopg2://{Uri.EscapeDataString(server.Username ?? "")}:{Uri.EscapeDataString(server.Password ?? "")}@{server.Host}:{server.Port}/{scratch}";
            return await RunAsync(url, trials, workers, cancellationToken);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DropAsync(server.ConnectionString, scratch);
        }
    }

    private static async Task<OptunaFigures> RunAsync(string storage, int trials, int workers, CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "bench", "optuna_dispatch.py");
        var info = new ProcessStartInfo("/usr/bin/python3", [script, "--storage", storage, "--trials", Invariant($"{trials}"), "--workers", Invariant($"{workers}")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);   // its workers would go on against the scratch database dropped next
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The Optuna comparison failed (exit {process.ExitCode}): {(await error).Trim()}. It needs Debian's python3-optuna (and python3-psycopg2 for Postgres): apt-get install python3-optuna python3-psycopg2.");
        }

        return JsonSerializer.Deserialize<OptunaFigures>(await output, Json)
            ?? throw new InvalidDataException($"The Optuna comparison printed no figures: {await output}");
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
#pragma warning disable CA2100 // The statement holds only our own scratch database's name.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Not DROP DATABASE ... WITH (FORCE): that signals every session in the database and, for a role that is not a
    // superuser, fails when one of them is an autovacuum worker (no role: "must be a member of the role whose process is
    // being terminated", Postgres 15), which visits a database just written at any moment. A plain DROP stops such a
    // worker itself; the client sessions (Optuna workers that outlived their process) end first, as FORCE would end them.
    private static async Task DropAsync(string connectionString, string database)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using (var terminate = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = @name AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
            connection))
        {
            terminate.Parameters.AddWithValue("name", database);
            await terminate.ExecuteNonQueryAsync(CancellationToken.None);
        }

#pragma warning disable CA2100 // The statement holds only our own scratch database's name.
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database}", connection);
#pragma warning restore CA2100
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
