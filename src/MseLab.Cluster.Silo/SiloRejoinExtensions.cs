using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MseLab.Cluster.Silo;

namespace Microsoft.Extensions.Hosting;

/// <summary>Lets a worker process outlive its silo being declared dead (see <see cref="RejoinOnFatalError"/>).</summary>
public static class SiloRejoinExtensions
{
    /// <summary>
    /// On a fatal silo error (the cluster declared this silo dead after a partition), the host stops and
    /// <paramref name="rejoin"/> records that a new generation must start, rather than the process failing fast. Call after
    /// <see cref="SiloHostingExtensions.AddMseLabSilo{TExecutor}"/>; the process's loop builds the next host.
    /// </summary>
    public static IHostApplicationBuilder RejoinWhenDeclaredDead(this IHostApplicationBuilder builder, SiloRejoin rejoin)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rejoin);
        builder.Services.AddSingleton(rejoin);
        builder.Services.Replace(ServiceDescriptor.Singleton<IFatalErrorHandler, RejoinOnFatalError>());
        return builder;
    }
}
