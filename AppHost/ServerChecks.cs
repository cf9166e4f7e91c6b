using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace MseLab.AppHost;

/// <summary>Health probes of existing servers in their own protocols: a query, an AMQP connection, a PING.</summary>
internal static class ServerChecks
{
    // The migration service creates the results database: the check connects to the server's maintenance database.
    public static async Task PostgresAsync(string connection, CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres", Timeout = 5 };
        await using var db = new NpgsqlConnection(server.ConnectionString);
        await db.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", db);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public static async Task RabbitMqAsync(string connection, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connection), RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        await using var amqp = await factory.CreateConnectionAsync(cancellationToken);
    }

    public static async Task RedisAsync(string connection, CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.ConnectTimeout = 5000;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        await redis.GetDatabase().PingAsync();
    }
}
