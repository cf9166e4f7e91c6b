using static TorchSharp.torch;

namespace MseLab.Models.Backbones;

/// <summary>
/// Keys and values of every decoder layer for the positions seen so far (after rotary embedding), so that greedy
/// decoding feeds one new position per step. Owns its tensors: dispose it when generation ends.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Number of positions cached before the current forward call started (all layers agree between calls).</summary>
    public long Length => LengthOf(0);

    /// <summary>Number of positions cached for one layer (during a forward call, earlier layers are already ahead).</summary>
    public long LengthOf(int layer) => _keys[layer]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys/values (B, nkv, T, hd) for <paramref name="layer"/> and returns the full ones.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var oldKeys = _keys[layer];
        var oldValues = _values[layer];
        var fullKeys = oldKeys is null ? keys.alias() : cat([oldKeys, keys], dim: 2);
        var fullValues = oldValues is null ? values.alias() : cat([oldValues, values], dim: 2);
        fullKeys.DetachFromDisposeScope();
        fullValues.DetachFromDisposeScope();
        oldKeys?.Dispose();
        oldValues?.Dispose();
        _keys[layer] = fullKeys;
        _values[layer] = fullValues;
        return (fullKeys, fullValues);
    }

    public void Dispose()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = null;
            _values[i] = null;
        }
    }
}
