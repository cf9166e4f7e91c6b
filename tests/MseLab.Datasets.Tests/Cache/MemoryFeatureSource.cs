using MseLab.Datasets.Readers;

namespace MseLab.Datasets.Tests.Cache;

/// <summary>A feature source over an array in memory (N x T x d), counting copies and able to stall or fail on one sample.</summary>
internal sealed class MemoryFeatureSource(float[] values, int count, int steps, int width) : FeatureSource
{
    private int _copies;

    public override int Count => count;

    public override int Steps => steps;

    public override int Width => width;

    public int Copies => Volatile.Read(ref _copies);

    /// <summary>Called before each copy with the sample index (to stall or throw).</summary>
    public Action<int>? BeforeCopy { get; init; }

    public ReadOnlySpan<float> Sample(int index) => values.AsSpan(index * steps * width, steps * width);

    public override void CopySample(int index, Span<float> destination)
    {
        BeforeCopy?.Invoke(index);
        Interlocked.Increment(ref _copies);
        Sample(index).CopyTo(destination);
    }
}
