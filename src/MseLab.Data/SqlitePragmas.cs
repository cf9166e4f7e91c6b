using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MseLab.Data;

/// <summary>
/// Per-connection SQLite settings: in WAL mode, synchronous=NORMAL still survives a process crash (only a power loss can
/// drop the last commits) and makes each small commit cheap, which the per-trial lifecycle writes need.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static SqlitePragmas Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;";
        command.ExecuteNonQuery();
    }
}
