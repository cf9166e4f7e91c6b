using MassTransit;

namespace MseLab.Cluster.Silo;

/// <summary>
/// How <see cref="RunTrialConsumer"/> consumes: a claim that fails for a passing reason (the store or the silo busy) is
/// tried again after 1, 2 and 4 s before the message goes to the error queue. Prefetch and concurrency are set per device
/// kind's queue, from the devices of that kind (<see cref="Microsoft.Extensions.Hosting.SiloHostingExtensions"/>).
/// </summary>
public sealed class RunTrialConsumerDefinition : ConsumerDefinition<RunTrialConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RunTrialConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)));
    }
}
