using System.Buffers;

namespace MseLab.Datasets.Cache;

/// <summary>
/// float32 values at a pointer into a mapped view, as <see cref="Memory{T}"/> without a copy. The mapping outlives every
/// instance (the owning <see cref="FeatureFile"/> unmaps only when the last dataset handle is disposed), so pinning is free.
/// </summary>
internal sealed unsafe class MappedFloats(float* pointer, int length) : MemoryManager<float>
{
    public override Span<float> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, length);
        return new MemoryHandle(pointer + elementIndex);
    }

    public override void Unpin()
    {
        // Nothing to do: mapped memory never moves.
    }

    protected override void Dispose(bool disposing)
    {
        // The view is released by FeatureFile, not here: several Memory instances share it.
    }
}
