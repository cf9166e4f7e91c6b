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
        // Sends overlap in windows (each one waits for the broker's confirm; one at a time is a round trip per trial), and
        // windows go in priority order.
        foreach (var window in messages.OrderByDescending(m => m.Priority).Chunk(256))
        {
            var sends = new List<Task>(window.Length);
            foreach (var message in window)
            {
                if (!endpoints.TryGetValue(message.DeviceKind, out var endpoint))
                {
                    endpoint = await bus.GetSendEndpoint(TrialQueues.AddressOf(message.DeviceKind));
                    endpoints[message.DeviceKind] = endpoint;
                }

                sends.Add(endpoint.Send(message, cancellationToken));
            }

            await Task.WhenAll(sends);
        }

        await store.MarkDispatchedAsync(messages, cancellationToken);
    }
}
