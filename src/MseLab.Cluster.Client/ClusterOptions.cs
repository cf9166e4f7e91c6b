using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MseLab.Cluster.Client;

/// <summary>How this process joins the cluster and the queue. Bound from the <c>Cluster</c> configuration section and validated at start.</summary>
public sealed class ClusterOptions : IValidatableObject
{
    public const string SectionName = "Cluster";

    /// <summary>Where the Orleans cluster's membership lives.</summary>
    public Clustering Clustering { get; set; } = Clustering.Localhost;

    /// <summary>What carries trial messages.</summary>
    public Transport Transport { get; set; } = Transport.InMemory;

    /// <summary>The Orleans cluster id; workers of one lab share it.</summary>
    public string ClusterId { get; set; } = "mselab";

    /// <summary>Redis configuration string for cluster membership, e.g. <c>redis-host:6379</c> (with <see cref="Clustering.Redis"/>).</summary>
    public string? Redis { get; set; }

    /// <summary>RabbitMQ address with credentials and virtual host, e.g. <c>amqp://user:password@mq-host:5672/lab</c> (with <see cref="Transport.RabbitMq"/>).</summary>
    public string? RabbitMq { get; set; }

    /// <summary>The address other silos and clients reach this worker at (its LAN address on a multi-machine lab).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port; 0 picks a free one.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 picks a free one.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The parsed <see cref="AdvertisedAddress"/>.</summary>
    public IPAddress AdvertisedIp() => IPAddress.Parse(AdvertisedAddress);

    /// <summary>
    /// Binds and validates the section for a composition root that must choose its seams while it registers services
    /// (the clustering provider, the transport). Services get the same values as <c>IOptions&lt;ClusterOptions&gt;</c>.
    /// </summary>
    /// <exception cref="OptionsValidationException">Every problem of the section, each naming its key.</exception>
    public static ClusterOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ClusterOptions();
        try
        {
            configuration.GetSection(SectionName).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(SectionName, typeof(ClusterOptions), [$"{e.Message} Valid values: Clustering localhost|redis, Transport inmemory|rabbitmq."]);
        }

        var errors = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true)
            ? options
            : throw new OptionsValidationException(SectionName, typeof(ClusterOptions), errors.Select(e => e.ErrorMessage ?? "invalid").ToList());
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Clustering == Clustering.Redis && string.IsNullOrWhiteSpace(Redis))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Redis)} is not set; give the membership server, e.g. redis-host:6379.", [nameof(Redis)]);
        }

        if (Transport == Transport.RabbitMq && !Uri.TryCreate(RabbitMq, UriKind.Absolute, out _))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(RabbitMq)} '{RabbitMq}' is not a broker address; give e.g. amqp://user:password@mq-host:5672/lab.", [nameof(RabbitMq)]);
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(AdvertisedAddress)} '{AdvertisedAddress}' is not an IP address; give this machine's address that the other workers reach.",
                [nameof(AdvertisedAddress)]);
        }

        if (SiloPort is < 0 or > 65535 || GatewayPort is < 0 or > 65535)
        {
            yield return new ValidationResult($"{SectionName}: SiloPort and GatewayPort must be 0 (any free port) or a port number.", [nameof(SiloPort), nameof(GatewayPort)]);
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(ClusterId)} is empty.", [nameof(ClusterId)]);
        }
    }
}

/// <summary>Where the Orleans cluster's membership lives.</summary>
public enum Clustering
{
    /// <summary>A single-process cluster: the embedded default.</summary>
    Localhost,

    /// <summary>A lab cluster whose membership is in Redis.</summary>
    Redis,
}

/// <summary>What carries trial messages.</summary>
public enum Transport
{
    /// <summary>A queue in this process: the embedded default.</summary>
    InMemory,

    /// <summary>The lab's durable RabbitMQ queues, one per device kind.</summary>
    RabbitMq,
}
