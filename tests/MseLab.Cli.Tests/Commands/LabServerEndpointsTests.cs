using MseLab.Cli.Commands.Bench;
using MseLab.Cli.Hosts;

namespace MseLab.Cli.Tests.Commands;

/// <summary>The servers of a profile as <c>bench failover</c>'s workers on lab hosts reach them.</summary>
public sealed class LabServerEndpointsTests : IDisposable
{
    private readonly string _profile = Path.Combine(Path.GetTempPath(), $"mselab-endpoints-{Guid.NewGuid():N}.json");

    [Fact]
    public void Of_LoopbackServers_SameServersAtTheirLabNetworkAddressesAndPorts()
    {
        Write("127.0.0.1:56380,password=x", "amqp://u:p@localhost:5681/lab", "Host=127.0.0.1;Port=55433;Database=d;Username=u;Password=p");

        var servers = LabServerEndpoints.Of(_profile);

        Assert.Equal(
            [(LabServer.Redis, "10.231.0.4", 56380, true), (LabServer.RabbitMq, "10.231.0.3", 5681, true), (LabServer.Postgres, "10.231.0.2", 55433, true)],
            servers.Endpoints.Select(e => (e.Server, e.Host, e.Port, e.Mapped)));
        Assert.Equal("10.231.0.4:56380,password=x", servers.Environment["MSELAB_Cluster__Redis"]);
        Assert.Equal("amqp://u:p@10.231.0.3:5681/lab", servers.Environment["MSELAB_Cluster__RabbitMq"]);
        Assert.Contains("Host=10.231.0.2;Port=55433;Database=d", servers.Environment["MSELAB_Store__ConnectionString"], StringComparison.Ordinal);
    }

    [Fact]
    public void Of_OtherAddresses_KeptWithDefaultPorts()
    {
        Write("redis-host", "amqp://u:p@mq-host/lab", "Host=db-host;Database=d;Username=u;Password=p");

        var servers = LabServerEndpoints.Of(_profile);

        Assert.Equal(
            [(LabServer.Redis, "redis-host", 6379, false), (LabServer.RabbitMq, "mq-host", 5672, false), (LabServer.Postgres, "db-host", 5432, false)],
            servers.Endpoints.Select(e => (e.Server, e.Host, e.Port, e.Mapped)));
    }

    [Fact]
    public void Of_SqliteStore_RefusedNamingWhatTheBenchNeeds()
    {
        File.WriteAllText(_profile, """{ "Cluster": { "Clustering": "redis", "Redis": "r:1", "Transport": "rabbitmq", "RabbitMq": "amqp://m/" }, "Store": { "Provider": "sqlite" } }""");

        var error = Assert.Throws<InvalidDataException>(() => LabServerEndpoints.Of(_profile));

        Assert.Contains("Store:Provider is 'sqlite'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Postgres (Store:Provider postgres)", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_profile);

    private void Write(string redis, string rabbit, string postgres) => File.WriteAllText(_profile, $$"""
        {
          "Cluster": { "Clustering": "redis", "Redis": "{{redis}}", "Transport": "rabbitmq", "RabbitMq": "{{rabbit}}", "ClusterId": "c" },
          "Store": { "Provider": "postgres", "ConnectionString": "{{postgres}}" }
        }
        """);
}
