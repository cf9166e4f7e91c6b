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
/// With <see cref="StepTurns"/>, trials sharing a backbone take turns step by step, so its device holds one step's
/// activations at a time instead of one per trial.
/// </summary>
public sealed class BackbonePool(Func<BackboneKey, ICausalBackbone> load, StepTurns turns = StepTurns.OnGpus)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BackboneKey, Entry> _entries = [];

    /// <summary>A pool that loads with <see cref="BackboneLoader.Load"/> and applies the key's precision (the paper's weight rounding).</summary>
    public BackbonePool(StepTurns turns = StepTurns.OnGpus)
        : this(LoadWithPrecision, turns)
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
                var taking = turns == StepTurns.Always || (turns == StepTurns.OnGpus && !key.Device.StartsWith("cpu", StringComparison.Ordinal));
                entry = new Entry(new Lazy<ICausalBackbone>(() => load(key), LazyThreadSafetyMode.ExecutionAndPublication), taking ? new SemaphoreSlim(1, 1) : null);
                _entries.Add(key, entry);
            }

            entry.Leases++;
        }

        try
        {
            return new BackboneLease(entry.Backbone.Value, entry.Turns, () => Release(key, entry));
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

        entry.Turns?.Dispose();
    }

    private sealed class Entry(Lazy<ICausalBackbone> backbone, SemaphoreSlim? turns)
    {
        public Lazy<ICausalBackbone> Backbone { get; } = backbone;

        public SemaphoreSlim? Turns { get; } = turns;

        public int Leases { get; set; }
    }
}

/// <summary>Whether trials sharing a backbone take turns for their steps (training batch, evaluation batch).</summary>
public enum StepTurns
{
    /// <summary>On a GPU, one step at a time per backbone (memory: the weights once plus one step's activations); CPU trials run their steps at once, on their own cores.</summary>
    OnGpus,

    /// <summary>One step at a time per backbone on every device.</summary>
    Always,

    /// <summary>Steps run at once (memory: the weights once plus every running step's activations).</summary>
    Never,
}
