using System.Collections.Concurrent;
using MseLab.Cluster.Client;
using MseLab.Contracts;
using MseLab.Grains.Execution;
using MseLab.Store;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>Stands in for the queue: keeps what the grains send and clears the store's outbox flag, as the real dispatcher does.</summary>
internal sealed class RecordingDispatcher(ResultsStore store) : ITrialDispatcher
{
    public ConcurrentQueue<RunTrial> Sent { get; } = new();

    public async Task DispatchAsync(IReadOnlyList<RunTrial> messages, CancellationToken cancellationToken = default)
    {
        foreach (var message in messages)
        {
            Sent.Enqueue(message);
        }

        await store.MarkDispatchedAsync(messages, cancellationToken);
    }
}
