using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MseLab.AppHost;

internal static class Extensions
{
    // Connection-string names the services look for (MseLab.Cluster.Client.AspireConnections).
    private const string Results = "results";
    private const string Messaging = "messaging";
    private const string Membership = "membership";

    // The API's admin secret: the parameter's name and the API's setting it fills (MseLab.Api's AuthOptions.AdminToken).
    private const string AdminTokenParameter = "api-admin-token";
    private const string AdminTokenSetting = "Auth__AdminToken";

    // The API's launch profile endpoint and the page it serves there.
    private const string ResultsPageEndpoint = "http";
    private const string ResultsPagePath = "/results/";

    /// <summary>
    /// The results store (Postgres), the trial queue (RabbitMQ) and the membership server (Redis). <c>Servers=containers</c>
    /// starts them in Docker; <c>Servers=existing</c> uses <c>ConnectionStrings:results|messaging|membership</c> and checks
    /// that each really answers. Unset: existing when all three connection strings are configured, else containers.
    /// </summary>
    public static (IResourceBuilder<IResourceWithConnectionString> Results, IResourceBuilder<IResourceWithConnectionString> Messaging, IResourceBuilder<IResourceWithConnectionString> Membership)
        AddLabServers(this IDistributedApplicationBuilder builder)
    {
        var mode = builder.Configuration["Servers"]
            ?? (new[] { Results, Messaging, Membership }.All(name => !string.IsNullOrEmpty(builder.Configuration.GetConnectionString(name))) ? "existing" : "containers");
        return mode switch
        {
            "containers" => AddContainers(builder),
            "existing" => (Existing(builder, Results, ServerChecks.PostgresAsync),
                           Existing(builder, Messaging, ServerChecks.RabbitMqAsync),
                           Existing(builder, Membership, ServerChecks.RedisAsync)),
            _ => throw new InvalidOperationException($"Servers is '{mode}'; use 'containers' (Docker) or 'existing' (connection strings, see the README)."),
        };
    }

    /// <summary>Trial folders and the tiny backbone under the repository (a project runs in its own folder), and a health endpoint.</summary>
    public static IResourceBuilder<ProjectResource> WithLabWorkerSettings(this IResourceBuilder<ProjectResource> worker)
    {
        var root = Path.GetFullPath(Path.Combine(worker.ApplicationBuilder.AppHostDirectory, ".."));
        worker
            .WithEnvironment("Worker__RunsDirectory", Path.Combine(root, ".mselab", "runs"))
            .WithEnvironment("Worker__ModelsDirectory", Path.Combine(root, "models"));
        // The paper's datasets (README "Datasets"): the AppHost's DataRoot setting (or MSELAB_DATA_ROOT) reaches every worker.
        var dataRoot = worker.ApplicationBuilder.Configuration["DataRoot"] ?? Environment.GetEnvironmentVariable("MSELAB_DATA_ROOT");
        if (!string.IsNullOrWhiteSpace(dataRoot))
        {
            worker.WithEnvironment("Worker__DataRoot", Path.GetFullPath(dataRoot));
        }

        return worker
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health");
    }

    /// <summary>
    /// The API's admin secret as a secret parameter: <c>Parameters:api-admin-token</c> when configured, else 40 generated
    /// letters and digits kept in the AppHost's user secrets, so the same secret works across runs.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddLabAdminToken(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(AdminTokenParameter, new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);

    /// <summary>Hands the admin secret to the API (accepted as a bearer token of user admin, role admin).</summary>
    public static IResourceBuilder<ProjectResource> WithAdminToken(this IResourceBuilder<ProjectResource> api, IResourceBuilder<ParameterResource> token) =>
        api.WithEnvironment(AdminTokenSetting, token);

    /// <summary>
    /// A "Results" link in the dashboard beside the API's own address: the results page (MseLab.Api's ResultsPage.Path;
    /// the AppHost sees the project as metadata only, so the path is repeated here) on the API's http endpoint.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithResultsPageUrl(this IResourceBuilder<ProjectResource> api) =>
        api.WithUrlForEndpoint(ResultsPageEndpoint, endpoint => new ResourceUrlAnnotation { Url = endpoint.Url + ResultsPagePath, DisplayText = "Results" });

    private static (IResourceBuilder<IResourceWithConnectionString>, IResourceBuilder<IResourceWithConnectionString>, IResourceBuilder<IResourceWithConnectionString>)
        AddContainers(IDistributedApplicationBuilder builder)
    {
        var results = builder.AddPostgres("postgres")
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent)
            .AddDatabase(Results, "mselab");
        var messaging = builder.AddRabbitMQ(Messaging)
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent);
        var membership = builder.AddRedis(Membership);
        return (results, messaging, membership);
    }

    // An existing server: its connection string from configuration, healthy once it answers its own protocol.
    private static IResourceBuilder<IResourceWithConnectionString> Existing(
        IDistributedApplicationBuilder builder, string name, Func<string, CancellationToken, Task> probe)
    {
        var check = $"{name}-answers";
        builder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
        {
            var connection = builder.Configuration.GetConnectionString(name);
            if (string.IsNullOrEmpty(connection))
            {
                return HealthCheckResult.Unhealthy($"ConnectionStrings:{name} is not set");
            }

            try
            {
                await probe(connection, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(e.GetBaseException().Message);
            }
        });
        // The connection string itself is a parameter; the server is a resource of its own, so that the dashboard lists it
        // with its health, and the services wait for it.
        var connectionString = builder.AddParameterFromConfiguration($"{name}-connection-string", $"ConnectionStrings:{name}", secret: true);
        return builder.AddResource(new ExistingServer(name, connectionString.Resource))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "ExistingServer",
                State = KnownResourceStates.Running,
                Properties = [new("mselab.server", $"ConnectionStrings:{name}")],
            })
            .WithHealthCheck(check);
    }

    /// <summary>A server MseLab did not start: its connection string comes from configuration; healthy while it answers.</summary>
    private sealed class ExistingServer(string name, ParameterResource connection) : Resource(name), IResourceWithConnectionString
    {
        public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{connection}");
    }
}
