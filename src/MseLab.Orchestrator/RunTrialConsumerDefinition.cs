using MassTransit;
using Microsoft.Extensions.Options;
using MseLab.Grains.Execution;

namespace MseLab.Orchestrator;

/// <summary>One message in flight per device of this worker; a message no device here can take is retried later.</summary>
public sealed class RunTrialConsumerDefinition : ConsumerDefinition<RunTrialConsumer>
{
    public const string QueueName = "run-trial";

    public RunTrialConsumerDefinition(IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        EndpointName = QueueName;
        ConcurrentMessageLimit = Math.Max(1, options.Value.Devices.Count);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RunTrialConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = ConcurrentMessageLimit ?? 1;
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
    }
}
