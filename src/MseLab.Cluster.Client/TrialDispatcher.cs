using System.Diagnostics;
using MassTransit;
using MseLab.Contracts;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Cluster.Client;

/// <summary>Sends cells to the queue of their device kind as <see cref="RunTrial"/> messages, higher priority first, then clears their outbox flag.</summary>
public sealed class TrialDispatcher(IBus bus, DispatchOutbox outbox, DispatchTelemetry telemetry) : ITrialDispatcher
{
    public async Task DispatchAsync(IReadOnlyList<QueuedCell> cells, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var endpoints = new Dictionary<string, ISendEndpoint>(StringComparer.Ordinal);
        // Sends overlap in windows (each one waits for the broker's confirm; one at a time is a round trip per trial), and
        // windows go in priority order.
        foreach (var window in cells.OrderByDescending(c => c.Priority).Chunk(256))
        {
            var sends = new List<Task>(window.Length);
            var spans = new List<Activity>(window.Length);
            var parent = Activity.Current;
            try
            {
                foreach (var cell in window)
                {
                    if (!endpoints.TryGetValue(cell.DeviceKind, out var endpoint))
                    {
                        endpoint = await bus.GetSendEndpoint(TrialQueues.AddressOf(cell.DeviceKind));
                        endpoints[cell.DeviceKind] = endpoint;
                    }

                    // Each attempt's trace starts here; the send (and so the consumer, the grain and the epochs) joins it.
                    var span = telemetry.StartQueued(cell);
                    if (span is not null)
                    {
                        spans.Add(span);
                    }

                    sends.Add(endpoint.Send(Message(cell), cancellationToken));
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

        await outbox.MarkDispatchedAsync(cells.Select(c => c.Lease).ToList(), cancellationToken);
    }

    /// <summary>The bus message of a queued cell.</summary>
    public static RunTrial Message(QueuedCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return new RunTrial
        {
            SweepId = cell.Lease.SweepId,
            TrialKey = cell.Lease.Key,
            Attempt = cell.Lease.Attempt,
            Priority = cell.Priority,
            DeviceKind = cell.DeviceKind,
            MemoryGb = cell.MemoryGb,
            NotBefore = cell.NotBefore,
            Backbone = cell.Backbone,
            Dataset = cell.Dataset,
        };
    }
}
