using Microsoft.Extensions.Options;
using MseLab.Grains;

namespace MseLab.Cluster.Silo;

/// <summary>
/// The devices of this worker and which are free. A consumer takes a free device that fits a trial (kind and memory)
/// before it claims the trial, and the run gives it back when it ends.
/// </summary>
public sealed class LocalDevices
{
    private readonly Lock _gate = new();
    private readonly List<(string Key, DeviceSpec Spec)> _all;
    private readonly HashSet<string> _free;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        while (true)
        {
            Task released;
            lock (_gate)
            {
                // The smallest device that fits, so large ones stay free for large trials.
                var device = _all.Where(d => _free.Contains(d.Key) && Fits(d.Spec, kind, memoryGb)).OrderBy(d => d.Spec.MemoryGb).Select(d => d.Key).FirstOrDefault();
                if (device is not null)
                {
                    _free.Remove(device);
                    return device;
                }

                released = _released.Task;
            }

            try
            {
                await released.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    public void Release(string key)
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            _free.Add(key);
            released = _released;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }

    private static bool Fits(DeviceSpec spec, string kind, double memoryGb) =>
        string.Equals(spec.Kind, kind, StringComparison.Ordinal) && (spec.MemoryGb <= 0 || memoryGb <= spec.MemoryGb);
}
