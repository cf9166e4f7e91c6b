using Microsoft.Extensions.Configuration;

namespace MseLab.Cluster.Client;

/// <summary>
/// Under the Aspire AppHost, the broker and the membership server arrive as connection strings named after their
/// resources, and the Orleans resource as an <c>Orleans</c> section. This maps them onto MseLab's own <c>Cluster</c> keys
///, so that a worker or the API runs the same with a profile file as
/// under the AppHost. Keys set explicitly win. (The results database is the store's own: <c>AddResultsStore</c>.)
/// </summary>
public static class AspireConnections
{
    /// <summary>Resource names the AppHost gives the broker and the membership server.</summary>
    public const string Messaging = "messaging";
    public const string Membership = "membership";

    public static Dictionary<string, string?> Settings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Set(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value) && string.IsNullOrEmpty(configuration[key]))
            {
                settings[key] = value;
            }
        }

        if (configuration.GetConnectionString(Messaging) is { Length: > 0 } messaging)
        {
            Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Transport)}", nameof(Transport.RabbitMq));
            Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.RabbitMq)}", messaging);
        }

        // The Orleans resource names its clustering server (ServiceKey) and sets the cluster id and this replica's ports.
        var orleans = configuration.GetSection("Orleans");
        var membership = orleans["Clustering:ServiceKey"] is { Length: > 0 } key ? key : Membership;
        if (configuration.GetConnectionString(membership) is { Length: > 0 } redis)
        {
            Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Clustering)}", nameof(Clustering.Redis));
            Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Redis)}", redis);
        }

        if (orleans["Clustering:ProviderType"] is { Length: > 0 } provider && provider != "Redis")
        {
            // Orleans configures itself from this section too. The resource names the provider after the resource's type
            // ('ConnectionStringParameter' for an existing server), which Orleans does not know: it is Redis either way.
            settings["Orleans:Clustering:ProviderType"] = "Redis";
        }

        Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.ClusterId)}", orleans["ClusterId"]);
        Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.SiloPort)}", orleans["Endpoints:SiloPort"]);
        Set($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.GatewayPort)}", orleans["Endpoints:GatewayPort"]);
        return settings;
    }
}
