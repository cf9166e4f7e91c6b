using System.Diagnostics;
using MassTransit;
using MseLab.Contracts;
using MseLab.Data;
using MseLab.Grains.Execution;
using MseLab.Grains.Telemetry;

namespace MseLab.Orchestrator;

/// <summary>Sends cells to the queue of their device kind, higher priority first, then clears their outbox flag.</summary>
public sealed class TrialDispatcher(IBus bus, ResultsStore store, TrialTelemetry telemetry) : ITrialDispatcher
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
            var spans = new List<Activity>(window.Length);
            var parent = Activity.Current;
            try
            {
                foreach (var message in window)
                {
                    if (!endpoints.TryGetValue(message.DeviceKind, out var endpoint))
                    {
                        endpoint = await bus.GetSendEndpoint(TrialQueues.AddressOf(message.DeviceKind));
                        endpoints[message.DeviceKind] = endpoint;
                    }

                    // Each attempt's trace starts here; the send (and so the consumer, the grain and the epochs) joins it.
                    var span = telemetry.StartQueued(message);
                    if (span is not null)
                    {
                        spans.Add(span);
                    }

                    sends.Add(endpoint.Send(message, cancellationToken));
                    Activity.Current = parent;
                }

                await Task.WhenAll(sends);
            }
            finally
            {
                spans.ForEach(s => s.Dispose());
                Activity.Current = parent;
            }
        }

        await store.MarkDispatchedAsync(messages, cancellationToken);
    }
}
