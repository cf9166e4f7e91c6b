using Microsoft.Extensions.Options;
using MseLab.Grains;

namespace MseLab.Cluster.Silo;

/// <summary>
/// The devices of this worker and which are free. A consumer takes a free device that fits a trial (kind and memory)
/// before it claims the trial, and the run gives it back when it ends. Waiting consumers are served first come, first
/// served: a released device goes straight to the longest waiter it fits.
/// </summary>
public sealed class LocalDevices
{
    private readonly Lock _gate = new();
    private readonly List<(string Key, DeviceSpec Spec)> _all;
    private readonly HashSet<string> _free;
    private readonly LinkedList<Waiter> _waiters = new();

    public LocalDevices(IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _all = o.Specs.Select(s => ($"{o.Host}/{s.Device}", s)).ToList();
        Keys = _all.Select(d => d.Key).ToList();
        _free = new HashSet<string>(Keys, StringComparer.Ordinal);
        Kinds = _all.Select(d => d.Spec.Kind).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every device key (<c>host/device</c>) of this worker.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The device kinds this worker has, one queue each.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>The devices with their kind and memory.</summary>
    public IEnumerable<(string Key, DeviceSpec Spec)> All => _all;

    /// <summary>Whether any device here could ever run a trial of <paramref name="kind"/> needing <paramref name="memoryGb"/>.</summary>
    public bool CanFit(string kind, double memoryGb) => _all.Any(d => Fits(d.Spec, kind, memoryGb));

    /// <summary>Takes a free device that fits, waiting up to <paramref name="wait"/>; null when none became free.</summary>
    public async Task<string?> AcquireAsync(string kind, double memoryGb, TimeSpan wait, CancellationToken cancellationToken)
    {
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            // The smallest device that fits, so large ones stay free for large trials.
            var device = _all.Where(d => _free.Contains(d.Key) && Fits(d.Spec, kind, memoryGb)).OrderBy(d => d.Spec.MemoryGb).Select(d => d.Key).FirstOrDefault();
            if (device is not null)
            {
                _free.Remove(device);
                return device;
            }

            waiter = new Waiter(kind, memoryGb);
            node = _waiters.AddLast(waiter);
        }

        try
        {
            return await waiter.Device.Task.WaitAsync(wait, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (node.List is not null)
                {
                    _waiters.Remove(node);
                }
            }

            // A release may have handed this waiter a device just as it gave up: keep it rather than lose it.
            if (waiter.Device.Task.IsCompletedSuccessfully)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Release(waiter.Device.Task.Result);
                    throw;
                }

                return waiter.Device.Task.Result;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return null;
        }
    }

    /// <summary>Gives a device back: to the longest waiter it fits, or to the free ones.</summary>
    public void Release(string key)
    {
        Waiter? next = null;
        lock (_gate)
        {
            var spec = _all.First(d => d.Key == key).Spec;
            for (var node = _waiters.First; node is not null; node = node.Next)
            {
                if (Fits(spec, node.Value.Kind, node.Value.MemoryGb))
                {
                    next = node.Value;
                    _waiters.Remove(node);
                    break;
                }
            }

            if (next is null)
            {
                _free.Add(key);
            }
        }

        next?.Device.TrySetResult(key);
    }

    private static bool Fits(DeviceSpec spec, string kind, double memoryGb) =>
        string.Equals(spec.Kind, kind, StringComparison.Ordinal) && (spec.MemoryGb <= 0 || memoryGb <= spec.MemoryGb);

    private sealed class Waiter(string kind, double memoryGb)
    {
        public string Kind { get; } = kind;

        public double MemoryGb { get; } = memoryGb;

        public TaskCompletionSource<string> Device { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
