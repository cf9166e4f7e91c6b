using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Readers;

/// <summary>
/// An MMSA modality: one (N, T, d) ndarray of any numeric dtype and memory order, read one sample at a time through
/// <see cref="NumpyArray.ReadFloat32"/> (so the data stays in the file) and cleaned as the official loader cleans it.
/// </summary>
internal sealed class ArrayFeatureSource(NumpyArray array, FeatureCleaning cleaning, ReadPlace place, string key) : FeatureSource
{
    public override int Count { get; } = checked((int)array.Shape[0]);

    public override int Steps { get; } = checked((int)array.Shape[1]);

    public override int Width { get; } = checked((int)array.Shape[2]);

    public override void CopySample(int index, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var size = Steps * Width;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, size, nameof(destination));
        var sample = destination[..size];
        try
        {
            array.ReadFloat32((long)index * size, sample);
        }
        catch (InvalidDataException e)
        {
            throw place.Error(key, index, $"the values are not numbers: {e.Message}", "Store the features as a float array");
        }

        cleaning.Apply(sample);
    }
}
