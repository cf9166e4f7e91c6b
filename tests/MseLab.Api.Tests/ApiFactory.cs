using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MseLab.Api.Tests;

/// <summary>
/// The API host in process with its real endpoints and services registered, but none of its hosted services started (the
/// Orleans client, the bus, telemetry): nothing here reaches a server, so only requests that need none can be made.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A cluster client insists on Redis membership; port 1 is never dialled because the Orleans client never starts.
        builder.UseSetting("Cluster:Clustering", "Redis");
        builder.UseSetting("Cluster:Redis", "127.0.0.1:1");
        builder.ConfigureTestServices(services => services.RemoveAll<IHostedService>());
    }
}
