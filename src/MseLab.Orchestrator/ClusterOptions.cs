namespace MseLab.Orchestrator;

/// <summary>How this process joins the cluster and the queue. Bound from the <c>Cluster</c> configuration section.</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary><c>localhost</c>: a single-process cluster (the embedded default); <c>redis</c>: a lab cluster whose membership is in <see cref="Redis"/>.</summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary><c>inmemory</c>: the queue lives in this process (the embedded default); <c>rabbitmq</c>: the durable queue at <see cref="RabbitMq"/>.</summary>
    public string Transport { get; set; } = "inmemory";

    /// <summary>The Orleans cluster id; workers of one lab share it.</summary>
    public string ClusterId { get; set; } = "mselab";

    /// <summary>Redis configuration string for cluster membership, e.g. <c>redis-host:6379</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>RabbitMQ address with credentials and virtual host, e.g. <c>amqp://user:password@mq-host:5672/lab</c>.</summary>
    public string? RabbitMq { get; set; }

    /// <summary>The address other silos and clients reach this worker at (its LAN address on a multi-machine lab).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port; 0 picks a free one.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 picks a free one.</summary>
    public int GatewayPort { get; set; }

    internal bool IsLab => Clustering != "localhost";
}
