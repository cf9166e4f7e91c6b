using MseLab.Models.Backbones;
using MseLab.Models.Runtime;

namespace MseLab.Training.Backbones;

/// <summary>
/// One frozen backbone per <see cref="BackboneKey"/> in a process, shared by every trial that asks for it: a lease holds
/// it, the last lease to end disposes it. Concurrent first requests for one key load it once (others wait); different
/// keys load in parallel. A shared backbone is safe for concurrent trials because it is read-only: its parameters do not
/// require gradients (backward flows only into each trial's adapter), it stays in eval mode, and forward keeps no state
/// (each call brings its own KV cache; dispose scopes and grad mode are per thread). Tokenizers are not pooled: they are
/// small, quick to load, and a per-trial instance does not depend on the native tokenizers' thread safety.
/// </summary>
public sealed class BackbonePool(Func<BackboneKey, ICausalBackbone> load)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BackboneKey, Entry> _entries = [];

    /// <summary>A pool that loads with <see cref="BackboneLoader.Load"/> and applies the key's precision (the paper's weight rounding).</summary>
    public BackbonePool()
        : this(LoadWithPrecision)
    {
    }

    /// <summary>The pool of this process: the worker's trials and the CLI's use it, so a process holds one copy per key.</summary>
    public static BackbonePool Shared { get; } = new();

    /// <summary>How many backbones are loaded (or loading) now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>A lease on the backbone of <paramref name="key"/>, loading it if no trial holds it. Dispose the lease when done.</summary>
    public BackboneLease Acquire(BackboneKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry(new Lazy<ICausalBackbone>(() => load(key), LazyThreadSafetyMode.ExecutionAndPublication));
                _entries.Add(key, entry);
            }

            entry.Leases++;
        }

        try
        {
            return new BackboneLease(entry.Backbone.Value, () => Release(key, entry));
        }
        catch
        {
            Release(key, entry);   // a failed load is not cached: the next request tries again
            throw;
        }
    }

    private static ICausalBackbone LoadWithPrecision(BackboneKey key)
    {
        var backbone = BackboneLoader.Load(key.Directory, key.Family, key.DType, TorchRuntime.ParseDevice(key.Device));
        try
        {
            BackbonePrecision.Apply(backbone, key.Precision);
            return backbone;
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    private void Release(BackboneKey key, Entry entry)
    {
        lock (_gate)
        {
            if (--entry.Leases > 0)
            {
                return;
            }

            _entries.Remove(key);
        }

        if (entry.Backbone.IsValueCreated)
        {
            entry.Backbone.Value.Dispose();
        }
    }

    private sealed class Entry(Lazy<ICausalBackbone> backbone)
    {
        public Lazy<ICausalBackbone> Backbone { get; } = backbone;

        public int Leases { get; set; }
    }
}
