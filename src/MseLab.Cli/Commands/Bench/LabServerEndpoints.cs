using System.Globalization;
using System.Net;
using MseLab.Cli.Hosts;
using Npgsql;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// The servers of a lab profile as workers on lab hosts (<see cref="LabHosts"/>) reach them. A loopback address in the
/// profile (127.0.0.1, localhost, ::1: the servers of <c>scripts/services.sh</c> on this machine) means the same server at
/// its lab-network address and the same port (<see cref="LabNetwork.AddressOf"/>), since a host's loopback is its own;
/// other addresses stay as they are. The client keeps the profile as written: it runs in this (the root) namespace.
/// </summary>
internal sealed class LabServerEndpoints
{
    private const string RedisKey = "Cluster:Redis";
    private const string RabbitMqKey = "Cluster:RabbitMq";
    private const string PostgresKey = "Store:ConnectionString";

    private LabServerEndpoints(IReadOnlyList<Endpoint> endpoints, IReadOnlyDictionary<string, string> environment) =>
        (Endpoints, Environment) = (endpoints, environment);

    /// <summary>One server: where the profile names it and where a host reaches it.</summary>
    public sealed record Endpoint(LabServer Server, string Host, int Port, bool Mapped)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Server} at {Host}:{Port}{(Mapped ? " (the profile's loopback address, on the lab network)" : "")}");
    }

    public IReadOnlyList<Endpoint> Endpoints { get; }

    /// <summary><c>MSELAB_</c> variables for a worker on a host: they override the profile's server addresses.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Reads the three servers of <paramref name="profile"/>.</summary>
    /// <exception cref="InvalidDataException">The profile is not a lab profile on Redis, RabbitMQ and Postgres.</exception>
    public static LabServerEndpoints Of(string profile)
    {
        var configuration = ClusterProfile.Load(profile);
        string Value(string key, string expected) =>
            configuration[key] is { Length: > 0 } value && (expected.Length == 0 || value.Equals(expected, StringComparison.OrdinalIgnoreCase))
                ? value
                : throw new InvalidDataException(
                    $"Profile {profile}: {key} is '{configuration[key]}', but bench failover needs a lab profile whose workers share Redis (Cluster:Clustering redis), "
                    + "RabbitMQ (Cluster:Transport rabbitmq) and Postgres (Store:Provider postgres), with their addresses; see the README, section 'Lab cluster'.");
        _ = (Value("Cluster:Clustering", "redis"), Value("Cluster:Transport", "rabbitmq"), Value("Store:Provider", "postgres"));

        var endpoints = new List<Endpoint>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);

        // Redis: "host:port[,host:port][,option=value...]".
        var redis = Value(RedisKey, "").Split(',').Select(part =>
        {
            if (part.Contains('=', StringComparison.Ordinal))
            {
                return part;
            }

            var colon = part.LastIndexOf(':');
            var (host, port) = colon > 0 ? (part[..colon], int.Parse(part[(colon + 1)..], CultureInfo.InvariantCulture)) : (part, 6379);
            var endpoint = Map(LabServer.Redis, host, port);
            endpoints.Add(endpoint);
            return string.Create(CultureInfo.InvariantCulture, $"{endpoint.Host}:{endpoint.Port}");
        });
        environment[Variable(RedisKey)] = string.Join(',', redis);

        var rabbit = new Uri(Value(RabbitMqKey, ""));
        var rabbitEndpoint = Map(LabServer.RabbitMq, rabbit.Host, rabbit.IsDefaultPort || rabbit.Port < 0 ? 5672 : rabbit.Port);
        endpoints.Add(rabbitEndpoint);
        environment[Variable(RabbitMqKey)] = new UriBuilder(rabbit) { Host = rabbitEndpoint.Host }.Uri.AbsoluteUri;

        var postgres = new NpgsqlConnectionStringBuilder(Value(PostgresKey, ""));
        var postgresEndpoint = Map(LabServer.Postgres, postgres.Host ?? "localhost", postgres.Port);
        endpoints.Add(postgresEndpoint);
        postgres.Host = postgresEndpoint.Host;
        environment[Variable(PostgresKey)] = postgres.ToString();

        return new LabServerEndpoints(endpoints, environment);
    }

    /// <summary>Checks from <paramref name="host"/> that every server answers; a failure names the server and the fix.</summary>
    /// <exception cref="LabHostsException">A server is not reachable from the host.</exception>
    public void CheckFrom(LabHost host, string profile)
    {
        ArgumentNullException.ThrowIfNull(host);
        foreach (var endpoint in Endpoints.Where(e => !host.Reaches(e.Host, e.Port)))
        {
            throw new LabHostsException(
                $"{endpoint} is not reachable from lab host {host}. Workers on the lab hosts need the servers on the lab network: run `scripts/services.sh start` as root "
                + $"(it puts them on the bridge {LabNetwork.Bridge} as well as on loopback), or name addresses in {profile} that the hosts reach.");
        }
    }

    private static Endpoint Map(LabServer server, string host, int port) =>
        IsLoopback(host) ? new Endpoint(server, LabNetwork.AddressOf(server).ToString(), port, Mapped: true) : new Endpoint(server, host, port, Mapped: false);

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    // MSELAB_ variables override the profile file in a worker (WorkerHost.CreateBuilder): "Cluster:Redis" -> MSELAB_Cluster__Redis.
    private static string Variable(string key) => "MSELAB_" + key.Replace(":", "__", StringComparison.Ordinal);
}
