using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MseLab.Store;

namespace MseLab.Cli;

/// <summary>This process as a client of a lab cluster: Orleans client, send-only queue connection and the shared store.</summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    private ClusterConnection(IHost host) => Host = host;

    public IHost Host { get; }

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public static async Task<ClusterConnection> StartAsync(string profile, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(ClusterProfile.Load(profile));
        builder.Logging.AddCliConsole();
        builder.AddMseLabClient();
        var host = builder.Build();
        try
        {
            await LocalStore.EnsureCurrentAsync(host.Services.GetRequiredService<ResultsDatabase>(), profile, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await host.StartAsync(timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or Orleans.Runtime.OrleansException or Orleans.Runtime.SiloUnavailableException
                && !cancellationToken.IsCancellationRequested)
            {
                throw new ClusterUnavailableException(
                    $"Could not reach the cluster of {profile}: no worker answered ({e.Message}). Start workers with `mselab-worker --profile {profile}`, and check the Redis and RabbitMQ addresses in the profile.", e);
            }

            return new ClusterConnection(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Host.Dispose();
        }
    }
}
