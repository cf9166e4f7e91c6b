using System.Collections.Concurrent;
using MseLab.Cluster.Client;
using MseLab.Store.Records;

namespace MseLab.Api.Tests.Auth;

/// <summary>The queue, faked: remembers the cells a submission sent (no broker in this tier).</summary>
internal sealed class RecordingDispatcher : ITrialDispatcher
{
    public ConcurrentQueue<QueuedCell> Sent { get; } = new();

    public Task DispatchAsync(IReadOnlyList<QueuedCell> cells, CancellationToken cancellationToken = default)
    {
        foreach (var cell in cells)
        {
            Sent.Enqueue(cell);
        }

        return Task.CompletedTask;
    }
}
