using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MseLab.Grains.Execution;
using MseLab.Grains.Placement;

namespace MseLab.Orchestrator;

/// <summary>The free devices of this worker, per kind; a consumer takes one per message and gives it back after.</summary>
public sealed class LocalDevices
{
    private readonly Dictionary<string, Channel<string>> _free = new(StringComparer.Ordinal);

    public LocalDevices(IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Keys = options.Value.DeviceKeys;
        foreach (var key in Keys)
        {
            var kind = KindOf(key);
            if (!_free.TryGetValue(kind, out var channel))
            {
                channel = Channel.CreateUnbounded<string>();
                _free[kind] = channel;
            }

            channel.Writer.TryWrite(key);
        }
    }

    /// <summary>Every device key of this worker.</summary>
    public IReadOnlyList<string> Keys { get; }

    public bool Has(string kind) => _free.ContainsKey(kind);

    /// <summary>Waits for a free device of <paramref name="kind"/>.</summary>
    public ValueTask<string> AcquireAsync(string kind, CancellationToken cancellationToken) => _free[kind].Reader.ReadAsync(cancellationToken);

    public void Release(string key) => _free[KindOf(key)].Writer.TryWrite(key);

    /// <summary><c>host/cuda:3</c> gives <c>cuda</c>.</summary>
    public static string KindOf(string deviceKey)
    {
        var device = DeviceHostPlacement.DeviceOf(deviceKey);
        var colon = device.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? device : device[..colon];
    }
}
