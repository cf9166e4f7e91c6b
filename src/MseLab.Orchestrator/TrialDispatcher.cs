using MassTransit;
using MseLab.Contracts;
using MseLab.Data;
using MseLab.Grains.Execution;

namespace MseLab.Orchestrator;

/// <summary>Sends cells to the queue of their device kind, higher priority first, then clears their outbox flag.</summary>
public sealed class TrialDispatcher(IBus bus, ResultsStore store) : ITrialDispatcher
{
    public async Task DispatchAsync(IReadOnlyList<RunTrial> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var endpoints = new Dictionary<string, ISendEndpoint>(StringComparer.Ordinal);
        foreach (var message in messages.OrderByDescending(m => m.Priority))
        {
            if (!endpoints.TryGetValue(message.DeviceKind, out var endpoint))
            {
                endpoint = await bus.GetSendEndpoint(TrialQueues.AddressOf(message.DeviceKind));
                endpoints[message.DeviceKind] = endpoint;
            }

            await endpoint.Send(message, cancellationToken);
        }

        await store.MarkDispatchedAsync(messages, cancellationToken);
    }
}
