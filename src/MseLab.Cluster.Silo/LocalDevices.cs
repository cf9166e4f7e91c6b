using Microsoft.Extensions.Options;
using MseLab.Grains;

namespace MseLab.Cluster.Silo;

/// <summary>
/// The devices of this worker and which are free. A consumer takes a free device that fits a trial (kind and memory)
/// before it claims the trial, and the run gives it back when it ends. Waiting consumers are served first come, first
/// served: a released device goes straight to the longest waiter it fits. With <see cref="WorkerOptions.TrialsPerDevice"/>
/// above 1 each device offers that many slots (<see cref="DeviceSlots"/>), and a slot is handed out as a device.
/// </summary>
public sealed class LocalDevices
{
    private readonly Lock _gate = new();
    private readonly List<(string Key, DeviceSpec Spec)> _all;   // smallest memory first, then first slots first
    private readonly Dictionary<string, DeviceSpec> _specs;
    private readonly HashSet<string> _free;
    private readonly LinkedList<Waiter> _waiters = new();

    public LocalDevices(IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        // First slots before second ones: trials spread over equal devices before they double up on one.
        _all = o.Specs.SelectMany(s => Enumerable.Range(1, o.TrialsPerDevice).Select(slot => (Key: DeviceSlots.KeyOf(o.Host, s.Device, slot), Spec: s, Slot: slot)))
            .OrderBy(d => d.Spec.MemoryGb).ThenBy(d => d.Slot).Select(d => (d.Key, d.Spec)).ToList();
        _specs = _all.ToDictionary(d => d.Key, d => d.Spec, StringComparer.Ordinal);
        _free = new HashSet<string>(_specs.Keys, StringComparer.Ordinal);
    }

    /// <summary>The devices (one per slot) with their kind and memory.</summary>
    public IEnumerable<(string Key, DeviceSpec Spec)> All => _all;

    /// <summary>The kind and memory of device <paramref name="key"/> (a slot has its device's).</summary>
    public DeviceSpec SpecOf(string key) => _specs[key];

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
            foreach (var (key, spec) in _all)
            {
                if (_free.Contains(key) && Fits(spec, kind, memoryGb))
                {
                    _free.Remove(key);
                    return key;
                }
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
            bool handedOne;
            lock (_gate)
            {
                // A release removes the waiter and hands it the device under the lock: off the list means it has one.
                handedOne = node.List is null;
                if (!handedOne)
                {
                    _waiters.Remove(node);
                }
            }

            // A release handed this waiter a device just as it gave up: keep it rather than lose it.
            if (handedOne)
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
        lock (_gate)
        {
            var spec = _specs[key];
            for (var node = _waiters.First; node is not null; node = node.Next)
            {
                if (Fits(spec, node.Value.Kind, node.Value.MemoryGb))
                {
                    // Under the lock, so that a waiter giving up at this moment sees it was served (continuations run
                    // asynchronously: nothing of the waiter runs here).
                    _waiters.Remove(node);
                    node.Value.Device.TrySetResult(key);
                    return;
                }
            }

            _free.Add(key);
        }
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
